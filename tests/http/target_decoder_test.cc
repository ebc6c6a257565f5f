#include "http/target_decoder.h"

#include <string>

#include "gtest/gtest.h"

namespace tessera::http {
namespace {

TEST(TargetDecoderTest, SplitsPathAndQuery) {
  auto decoded = DecodeTarget("/cubejs-api/v1/load?a=1&b=two");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->path, "/cubejs-api/v1/load");
  EXPECT_EQ(decoded->query_params.size(), 2u);
  EXPECT_EQ(decoded->query_params.at("a"), "1");
  EXPECT_EQ(decoded->query_params.at("b"), "two");
}

TEST(TargetDecoderTest, QueryIsFormDecodedPlusIsSpace) {
  auto decoded = DecodeTarget("/q?name=jane+doe&sym=a%2Bb&pct=100%25&utf=caf%C3%A9");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->query_params.at("name"), "jane doe");
  EXPECT_EQ(decoded->query_params.at("sym"), "a+b");
  EXPECT_EQ(decoded->query_params.at("pct"), "100%");
  EXPECT_EQ(decoded->query_params.at("utf"), "caf\xc3\xa9");
}

TEST(TargetDecoderTest, CubeClientQueryDecodesExactly) {
  // What @cubejs-client/core sends: encodeURIComponent(JSON.stringify(query)).
  const std::string json =
      R"({"measures":["Orders.count"],"timeDimensions":[{"dimension":"Orders.createdAt","granularity":"month","dateRange":["2021-01-01","2021-12-31"]}],"filters":[{"member":"Orders.status","operator":"equals","values":["shipped & done","a+b=c"]}]})";
  const std::string encoded =
      "%7B%22measures%22%3A%5B%22Orders.count%22%5D%2C%22timeDimensions%22%3A%5B%7B%22dimension%22%3A%22Orders."
      "createdAt%22%2C%22granularity%22%3A%22month%22%2C%22dateRange%22%3A%5B%222021-01-01%22%2C%222021-12-31%22%"
      "5D%7D%5D%2C%22filters%22%3A%5B%7B%22member%22%3A%22Orders.status%22%2C%22operator%22%3A%22equals%22%2C%"
      "22values%22%3A%5B%22shipped%20%26%20done%22%2C%22a%2Bb%3Dc%22%5D%7D%5D%7D";
  auto decoded = DecodeTarget("/cubejs-api/v1/load?query=" + encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->query_params.at("query"), json);
}

TEST(TargetDecoderTest, ToleratesRawJsonCharactersLikeNode) {
  auto decoded = DecodeTarget(R"(/load?query={"measures":["Orders.count"]}&x=[1,2]|^)");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->query_params.at("query"), R"({"measures":["Orders.count"]})");
  EXPECT_EQ(decoded->query_params.at("x"), "[1,2]|^");
}

TEST(TargetDecoderTest, PathIsPercentDecodedButPlusStaysPlus) {
  auto decoded = DecodeTarget("/files/a%20b+c%2Fd");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->path, "/files/a b+c/d");
  EXPECT_TRUE(decoded->query_params.empty());
}

TEST(TargetDecoderTest, RejectsNulInPath) {
  auto decoded = DecodeTarget("/etc/passwd%00.json");
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TargetDecoderTest, RejectsBrokenPercentEscapes) {
  EXPECT_FALSE(DecodeTarget("/a%zzb").ok());
  EXPECT_FALSE(DecodeTarget("/q?x=%4").ok());
  EXPECT_FALSE(DecodeTarget("").ok());
  EXPECT_FALSE(DecodeTarget("no-slash").ok());
}

TEST(TargetDecoderTest, LastRepeatedParameterWinsAndBareKeysAreEmpty) {
  auto decoded = DecodeTarget("/q?a=1&a=2&flag&empty=");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->query_params.at("a"), "2");
  EXPECT_EQ(decoded->query_params.at("flag"), "");
  EXPECT_EQ(decoded->query_params.at("empty"), "");
}

TEST(TargetDecoderTest, AbsoluteAndAsteriskForms) {
  auto absolute = DecodeTarget("http://example.com/cubejs-api/v1/meta?x=1");
  ASSERT_TRUE(absolute.ok()) << absolute.status();
  EXPECT_EQ(absolute->path, "/cubejs-api/v1/meta");
  EXPECT_EQ(absolute->query_params.at("x"), "1");
  auto bare_host = DecodeTarget("http://example.com");
  ASSERT_TRUE(bare_host.ok());
  EXPECT_EQ(bare_host->path, "/");
  auto asterisk = DecodeTarget("*");
  ASSERT_TRUE(asterisk.ok());
  EXPECT_EQ(asterisk->path, "*");
}

}  // namespace
}  // namespace tessera::http
