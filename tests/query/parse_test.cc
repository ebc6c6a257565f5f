// Top-level query shape: Cube's schema messages, limits, flags, keys.
#include <gtest/gtest.h>

#include "query/parse.h"
#include "query_test_support.h"

namespace tessera::query {
namespace {

using testing::Options;
using testing::Parse;
using testing::ParseError;

TEST(ParseQuery, MinimalQuery) {
  auto q = Parse(R"({"measures":["Orders.count"]})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->measures, std::vector<std::string>{"Orders.count"});
  EXPECT_TRUE(q->dimensions.empty());
  EXPECT_FALSE(q->order.has_value());
  EXPECT_EQ(q->timezone, "UTC");
  EXPECT_EQ(q->offset, 0);
  EXPECT_FALSE(q->total);
  EXPECT_FALSE(q->ungrouped);
  EXPECT_FALSE(q->renew_query);
}

TEST(ParseQuery, AllKeys) {
  auto q = Parse(R"({"measures":["Orders.count"],"dimensions":["Orders.status"],
    "segments":["Orders.completed"],"timezone":"America/New_York","limit":20,"offset":5,
    "total":true,"ungrouped":false,"renewQuery":true})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->dimensions, std::vector<std::string>{"Orders.status"});
  EXPECT_EQ(q->segments, std::vector<std::string>{"Orders.completed"});
  EXPECT_EQ(q->timezone, "America/New_York");
  EXPECT_EQ(q->limit, 20);
  EXPECT_EQ(q->offset, 5);
  EXPECT_TRUE(q->total);
  EXPECT_FALSE(q->ungrouped);
  EXPECT_TRUE(q->renew_query);
  EXPECT_EQ(q->given_keys,
            (std::vector<std::string>{"measures", "dimensions", "segments", "timezone", "limit",
                                      "offset", "total", "ungrouped", "renewQuery"}));
}

TEST(ParseQuery, DefaultLimitIsApplied) {
  ParseOptions o = Options();
  o.default_limit = 123;
  auto q = Parse(R"({"measures":["Orders.count"]})", o);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 123);
}

TEST(ParseQuery, LimitBounds) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":0})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be larger than "
            "or equal to 1]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":-5})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be larger than "
            "or equal to 1]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":50001})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be less than or "
            "equal to 50000]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":1.5})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be an integer]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":"abc"})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be a number]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":null})"),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be a number]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":50000})"), "OK");
}

TEST(ParseQuery, LimitMaxComesFromOptions) {
  ParseOptions o = Options();
  o.max_limit = 100;
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"limit":101})", o),
            "Invalid query format: child \"limit\" fails because [\"limit\" must be less than or "
            "equal to 100]");
}

TEST(ParseQuery, NumericStringsAndWholeDoublesAreNumbers) {
  // Joi converts "10" and 10.0 to the number 10.
  auto q = Parse(R"({"measures":["A.b"],"limit":"10","offset":2.0})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->limit, 10);
  EXPECT_EQ(q->offset, 2);
}

TEST(ParseQuery, OffsetBounds) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"offset":-1})"),
            "Invalid query format: child \"offset\" fails because [\"offset\" must be larger than "
            "or equal to 0]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"offset":0.5})"),
            "Invalid query format: child \"offset\" fails because [\"offset\" must be an "
            "integer]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"offset":1e300})"),
            "Invalid query format: child \"offset\" fails because [\"offset\" must be a safe "
            "number]");
}

TEST(ParseQuery, Booleans) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"ungrouped":"yes"})"),
            "Invalid query format: child \"ungrouped\" fails because [\"ungrouped\" must be a "
            "boolean]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"renewQuery":1})"),
            "Invalid query format: child \"renewQuery\" fails because [\"renewQuery\" must be a "
            "boolean]");
  auto q = Parse(R"({"measures":["A.b"],"ungrouped":"TRUE"})");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->ungrouped);
}

TEST(ParseQuery, UnknownKeysAreRejectedAllAtOnce) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"foo":1})"),
            "Invalid query format: \"foo\" is not allowed");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"foo":1,"rowLimit":2})"),
            "Invalid query format: \"foo\" is not allowed. \"rowLimit\" is not allowed");
}

TEST(ParseQuery, SchemaErrorsComeBeforeUnknownKeys) {
  EXPECT_EQ(ParseError(R"({"foo":1,"measures":"x"})"),
            "Invalid query format: child \"measures\" fails because [\"measures\" must be an "
            "array]");
}

TEST(ParseQuery, QueryMustBeAnObject) {
  EXPECT_EQ(ParseError("5"), "Invalid query format: \"value\" must be an object");
  EXPECT_EQ(ParseError("null"), "Invalid query format: \"value\" must be an object");
  EXPECT_EQ(ParseError("[5]"), "Invalid query format: \"value\" must be an object");
}

TEST(ParseQuery, MissingQuery) {
  EXPECT_EQ(ParseError(""), "query param is required");
  EXPECT_EQ(ParseError("undefined"), "query param is required");
}

TEST(ParseQuery, EmptyQuery) {
  const std::string message =
      "Query should contain either measures, dimensions or timeDimensions with granularities "
      "in order to be valid";
  EXPECT_EQ(ParseError("{}"), message);
  EXPECT_EQ(ParseError(R"({"measures":[]})"), message);
  EXPECT_EQ(ParseError(R"({"timeDimensions":[{"dimension":"A.c"}]})"), message);
  EXPECT_EQ(ParseError(R"({"timeDimensions":[{"dimension":"A.c","granularity":"day"}]})"), "OK");
  EXPECT_EQ(ParseError(R"({"dimensions":["A.c"]})"), "OK");
}

TEST(ParseQuery, MemberPathPattern) {
  EXPECT_EQ(ParseError(R"({"measures":["Ab"]})"),
            "Invalid query format: child \"measures\" fails because [\"measures\" at position 0 "
            "fails because [\"0\" with value \"Ab\" fails to match the required pattern: "
            "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b","A.b.c"]})"),
            "Invalid query format: child \"measures\" fails because [\"measures\" at position 1 "
            "fails because [\"1\" with value \"A.b.c\" fails to match the required pattern: "
            "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/]]");
  EXPECT_EQ(ParseError(R"({"measures":[1]})"),
            "Invalid query format: child \"measures\" fails because [\"measures\" at position 0 "
            "fails because [\"0\" must be a string]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"segments":["x"]})"),
            "Invalid query format: child \"segments\" fails because [\"segments\" at position 0 "
            "fails because [\"0\" with value \"x\" fails to match the required pattern: "
            "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"segments":"A.s"})"),
            "Invalid query format: child \"segments\" fails because [\"segments\" must be an "
            "array]");
}

TEST(ParseQuery, DimensionWithGranularityBecomesTimeDimension) {
  auto q = Parse(R"({"dimensions":["Orders.createdAt.month","Orders.status"]})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->dimensions, std::vector<std::string>{"Orders.status"});
  ASSERT_EQ(q->time_dimensions.size(), 1u);
  EXPECT_EQ(q->time_dimensions[0].dimension, "Orders.createdAt");
  EXPECT_EQ(q->time_dimensions[0].granularity, Granularity::kMonth);
  EXPECT_EQ(ParseError(R"({"dimensions":["A.c.fortnight"]})"),
            "Invalid query format: child \"dimensions\" fails because [\"dimensions\" at "
            "position 0 fails because [\"0\" with value \"A.c.fortnight\" fails to match the "
            "required pattern: "
            "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+(\\.(second|minute|hour|day|week|month|quarter|year))?"
            "$/]]");
}

TEST(ParseQuery, Timezone) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timezone":"Mars/Base"})"),
            "Invalid timezone: Mars/Base");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timezone":"../../etc/passwd"})"),
            "Invalid timezone: ../../etc/passwd");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timezone":5})"),
            "Invalid query format: child \"timezone\" fails because [\"timezone\" must be a "
            "string]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timezone":"Europe/Berlin"})"), "OK");
}

TEST(ParseQuery, MalformedJsonNamesThePosition) {
  EXPECT_EQ(ParseError(R"({"measures":["A.b",})"),
            "Invalid query JSON at position 19: syntax error");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"]} x)"),
            "Invalid query JSON at position 21: extra data");
  EXPECT_EQ(ParseError(R"({"measures":)"), "Invalid query JSON at position 12: incomplete JSON");
}

TEST(ParseQuery, DeepNestingIsRefused) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_EQ(ParseError(deep), "Invalid query JSON at position 64: too deep");
  std::string filter = R"({"measures":["A.b"],"filters":[)";
  for (int i = 0; i < 25; ++i) filter += R"({"and":[)";
  filter += R"({"member":"A.b","operator":"set"})";
  for (int i = 0; i < 25; ++i) filter += "]}";
  filter += "]}";
  EXPECT_EQ(ParseError(filter), "OK");
}

TEST(ParseQuery, DuplicateKeysKeepTheLast) {
  // As JSON.parse does.
  auto q = Parse(R"({"measures":["A.b"],"limit":5,"limit":7})");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 7);
}

TEST(ParseQuery, ArrayIsABlendingQuery) {
  auto r = ParseQueryText(
      R"([{"measures":["A.b"],"timeDimensions":[{"dimension":"A.t","granularity":"day"}]},
          {"measures":["B.c"],"timeDimensions":[{"dimension":"B.t","granularity":"day"}]}])",
      Options());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->is_array);
  EXPECT_EQ(r->queries.size(), 2u);
  auto single = ParseQueryText(R"({"measures":["A.b"]})", Options());
  ASSERT_TRUE(single.ok());
  EXPECT_FALSE(single->is_array);
}

TEST(ParseQuery, BlendingQueryGranularities) {
  EXPECT_EQ(ParseError(R"([{"measures":["A.b"],"timeDimensions":[{"dimension":"A.t","granularity":"day"}]},
          {"measures":["B.c"],"timeDimensions":[{"dimension":"B.t","granularity":"month"}]}])"),
            "Data blending query granularities must match");
  EXPECT_EQ(ParseError(R"([{"measures":["A.b"]},{"measures":["B.c"]}])"),
            "Data blending query without granularity is not supported");
  EXPECT_EQ(ParseError("[]"), "Data blending query without granularity is not supported");
}

}  // namespace
}  // namespace tessera::query
