#include "driver/redact.h"

#include "gtest/gtest.h"

namespace tessera::driver {
namespace {

using sql::Param;
using Type = sql::Param::Type;

TEST(RedactTest, HidesParamValues) {
  sql::Params params = {Param{Type::kText, "acme-corp"}, Param{Type::kInteger, "12345"}};
  EXPECT_EQ(RedactParams("invalid input syntax for type integer: \"acme-corp\"", params),
            "invalid input syntax for type integer: \"<param>\"");
  EXPECT_EQ(RedactParams("value 12345 out of range", params), "value <param> out of range");
}

TEST(RedactTest, LongestValueFirst) {
  sql::Params params = {Param{Type::kText, "ab"}, Param{Type::kText, "abcd"}};
  EXPECT_EQ(RedactParams("x abcd y ab", params), "x <param> y <param>");
}

TEST(RedactTest, LeavesTinyAndNullValuesAlone) {
  sql::Params params = {Param{Type::kInteger, "1"}, Param{Type::kNull, ""}};
  EXPECT_EQ(RedactParams("column 1 is bad", params), "column 1 is bad");
}

TEST(RedactTest, HidesSecret) {
  EXPECT_EQ(RedactSecret("auth failed for p@ss w'rd", "p@ss w'rd"), "auth failed for <password>");
  EXPECT_EQ(RedactSecret("nothing here", ""), "nothing here");
}

}  // namespace
}  // namespace tessera::driver
