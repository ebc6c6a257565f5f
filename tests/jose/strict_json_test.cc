#include "identity/jose/strict_json.h"

#include <string>

#include <gtest/gtest.h>

namespace tessera::identity::jose {
namespace {

TEST(StrictJson, ParsesOrdinaryJson) {
  absl::StatusOr<boost::json::value> v =
      ParseStrictJson(R"( {"a": [1, -2, 3.5, true, false, null, "x\u00e9\ud83d\ude00"], "b": {"c": {}}} )");
  ASSERT_TRUE(v.ok()) << v.status();
  const boost::json::object& o = v->as_object();
  EXPECT_EQ(o.at("a").as_array().size(), 7u);
  EXPECT_EQ(o.at("a").as_array()[0].as_int64(), 1);
  EXPECT_EQ(o.at("a").as_array()[1].as_int64(), -2);
  EXPECT_DOUBLE_EQ(o.at("a").as_array()[2].as_double(), 3.5);
  EXPECT_EQ(std::string(o.at("a").as_array()[6].as_string()), "x\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(o.at("b").at("c").as_object().empty());
}

TEST(StrictJson, ScalarsAndLargeNumbers) {
  EXPECT_TRUE(ParseStrictJson("1").ok());
  EXPECT_TRUE(ParseStrictJson("\"s\"").ok());
  absl::StatusOr<boost::json::value> big = ParseStrictJson("18446744073709551615");
  ASSERT_TRUE(big.ok());
  EXPECT_TRUE(big->is_uint64());
}

TEST(StrictJson, RejectsDuplicateNamesAtAnyDepth) {
  EXPECT_FALSE(ParseStrictJson(R"({"a":1,"a":2})").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"x":{"a":1,"b":2,"a":3}})").ok());
  EXPECT_FALSE(ParseStrictJson(R"([{"x":[{"k":1,"k":1}]}])").ok());
  // Same name after unescaping is a duplicate too.
  EXPECT_FALSE(ParseStrictJson(R"({"alg":1,"\u0061lg":2})").ok());
  // Same name in sibling objects is fine.
  EXPECT_TRUE(ParseStrictJson(R"([{"a":1},{"a":2}])").ok());
  EXPECT_TRUE(ParseStrictJson(R"({"a":{"a":{"a":1}}})").ok());
}

TEST(StrictJson, RejectsInvalidUtf8) {
  EXPECT_FALSE(ParseStrictJson("\"\xff\"").ok());
  EXPECT_FALSE(ParseStrictJson("\"\xc3\"").ok());          // truncated sequence
  EXPECT_FALSE(ParseStrictJson("\"\xc0\xaf\"").ok());      // overlong
  EXPECT_FALSE(ParseStrictJson("\"\xed\xa0\x80\"").ok());  // encoded surrogate
  EXPECT_FALSE(ParseStrictJson("{\"\xff\":1}").ok());      // in a key
}

TEST(StrictJson, RejectsLoneSurrogateEscapes) {
  EXPECT_FALSE(ParseStrictJson(R"("\ud800")").ok());
  EXPECT_FALSE(ParseStrictJson(R"("\udc00")").ok());
  EXPECT_FALSE(ParseStrictJson(R"("\ud800\u0041")").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"\ud800":1})").ok());
  EXPECT_TRUE(ParseStrictJson(R"("\ud83d\ude00")").ok());
}

TEST(StrictJson, DepthLimit) {
  std::string ok_nested(kMaxJsonDepth, '[');
  ok_nested += std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseStrictJson(ok_nested).ok());
  std::string too_deep(kMaxJsonDepth + 1, '[');
  too_deep += std::string(kMaxJsonDepth + 1, ']');
  EXPECT_FALSE(ParseStrictJson(too_deep).ok());
  std::string deep_objects;
  for (int i = 0; i < 100; ++i) deep_objects += "{\"a\":";
  deep_objects += "1" + std::string(100, '}');
  EXPECT_FALSE(ParseStrictJson(deep_objects).ok());
}

TEST(StrictJson, RejectsTrailingDataAndExtensions) {
  EXPECT_FALSE(ParseStrictJson(R"({"a":1} x)").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"a":1}{})").ok());
  EXPECT_FALSE(ParseStrictJson(std::string("{\"a\":1}\0", 8)).ok());
  EXPECT_TRUE(ParseStrictJson("{\"a\":1} \n\t").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"a":1,})").ok());
  EXPECT_FALSE(ParseStrictJson(R"([1,])").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"a":1 /* c */})").ok());
  EXPECT_FALSE(ParseStrictJson(R"({'a':1})").ok());
  EXPECT_FALSE(ParseStrictJson("").ok());
  EXPECT_FALSE(ParseStrictJson("   ").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"a":NaN})").ok());
  EXPECT_FALSE(ParseStrictJson(R"({"a":01})").ok());
}

TEST(StrictJson, ObjectRequired) {
  EXPECT_TRUE(ParseStrictJsonObject(R"({"alg":"HS256"})").ok());
  for (const char* not_object : {"[]", "\"x\"", "1", "null", "true"}) {
    EXPECT_FALSE(ParseStrictJsonObject(not_object).ok()) << not_object;
  }
}

}  // namespace
}  // namespace tessera::identity::jose
