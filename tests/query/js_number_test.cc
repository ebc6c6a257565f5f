// JavaScript number printing and JSON.stringify, and member paths.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "query/js_number.h"
#include "query/member_path.h"

namespace tessera::query {
namespace {

TEST(JsNumberToString, MatchesJavaScript) {
  EXPECT_EQ(JsNumberToString(0.0), "0");
  EXPECT_EQ(JsNumberToString(-0.0), "0");
  EXPECT_EQ(JsNumberToString(10), "10");
  EXPECT_EQ(JsNumberToString(-2.5), "-2.5");
  EXPECT_EQ(JsNumberToString(0.1), "0.1");
  EXPECT_EQ(JsNumberToString(1e20), "100000000000000000000");
  EXPECT_EQ(JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(JsNumberToString(1.5e300), "1.5e+300");
  EXPECT_EQ(JsNumberToString(0.000001), "0.000001");
  EXPECT_EQ(JsNumberToString(1e-7), "1e-7");
  EXPECT_EQ(JsNumberToString(123.456), "123.456");
  EXPECT_EQ(JsNumberToString(1.0 / 3), "0.3333333333333333");
}

TEST(JsStringify, CompactWithJsNumbers) {
  EXPECT_EQ(JsStringify(boost::json::parse(R"({"a":[1.5,2,"x\"y",null,true],"b":{}})")),
            R"({"a":[1.5,2,"x\"y",null,true],"b":{}})");
}

TEST(MemberPath, Rules) {
  EXPECT_TRUE(IsMemberPath("Orders.count"));
  EXPECT_TRUE(IsMemberPath("a_1.B_2"));
  EXPECT_FALSE(IsMemberPath("Orders"));
  EXPECT_FALSE(IsMemberPath("Orders."));
  EXPECT_FALSE(IsMemberPath(".count"));
  EXPECT_FALSE(IsMemberPath("Orders.count.day"));
  EXPECT_FALSE(IsMemberPath("Orders.co-unt"));
  auto split = SplitGranularitySuffix("Orders.createdAt.quarter");
  ASSERT_TRUE(split.has_value());
  EXPECT_EQ(split->dimension, "Orders.createdAt");
  EXPECT_EQ(split->granularity, Granularity::kQuarter);
  EXPECT_FALSE(SplitGranularitySuffix("Orders.createdAt").has_value());
  EXPECT_FALSE(SplitGranularitySuffix("Orders.createdAt.fortnight").has_value());
}

}  // namespace
}  // namespace tessera::query
