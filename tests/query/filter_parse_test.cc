// The `filters` key: shapes, every operator's arity, values as text, dates.
#include <gtest/gtest.h>

#include "query/filter_operator.h"
#include "query/parse.h"
#include "query_test_support.h"

namespace tessera::query {
namespace {

using testing::Parse;
using testing::ParseError;

std::string WithFilters(std::string_view filters) {
  return R"({"measures":["Orders.count"],"filters":)" + std::string(filters) + "}";
}

const std::string kNoMatch0 =
    "Invalid query format: child \"filters\" fails because [\"filters\" at position 0 does not "
    "match any of the allowed types]";

TEST(FilterOperator, NamesRoundTrip) {
  const char* names[] = {"equals", "notEquals", "contains", "notContains", "startsWith",
                         "notStartsWith", "endsWith", "notEndsWith", "gt", "gte", "lt", "lte",
                         "set", "notSet", "inDateRange", "notInDateRange", "beforeDate",
                         "beforeOrOnDate", "afterDate", "afterOrOnDate", "measureFilter",
                         // Cube 0.27's legacy spellings, recorded from real Cube.
                         "in", "notIn", "onTheDate"};
  for (const char* name : names) {
    auto op = ParseFilterOperator(name);
    ASSERT_TRUE(op.has_value()) << name;
    EXPECT_EQ(FilterOperatorName(*op), name);
  }
  EXPECT_FALSE(ParseFilterOperator("Equals").has_value());
  EXPECT_FALSE(ParseFilterOperator("IN").has_value());
  EXPECT_FALSE(ParseFilterOperator("like").has_value());
  EXPECT_FALSE(ParseFilterOperator("").has_value());
}

TEST(FilterParse, SimpleLeaf) {
  auto q = Parse(WithFilters(R"([{"member":"Orders.status","operator":"equals","values":["a","b"]}])"));
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->filters.size(), 1u);
  const FilterNode& f = q->filters[0];
  EXPECT_EQ(f.kind, FilterNode::Kind::kLeaf);
  EXPECT_EQ(f.leaf.member, "Orders.status");
  EXPECT_EQ(f.leaf.op, FilterOperator::kEquals);
  ASSERT_EQ(f.leaf.values.size(), 2u);
  EXPECT_EQ(f.leaf.values[0], "a");
  EXPECT_EQ(f.leaf.values[1], "b");
}

TEST(FilterParse, LegacyDimensionKey) {
  auto q = Parse(WithFilters(R"([{"dimension":"Orders.status","operator":"notSet"}])"));
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->filters[0].leaf.member, "Orders.status");
  EXPECT_EQ(q->filters[0].leaf.op, FilterOperator::kNotSet);
}

TEST(FilterParse, ValuesBecomeText) {
  auto q = Parse(WithFilters(
      R"([{"member":"Orders.amount","operator":"equals","values":[10,1.5,true,false,null,"",-0.0,1e21,1e-7,12345678901234567890]}])"));
  ASSERT_TRUE(q.ok()) << q.status();
  const auto& v = q->filters[0].leaf.values;
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[0], "10");
  EXPECT_EQ(v[1], "1.5");
  EXPECT_EQ(v[2], "true");
  EXPECT_EQ(v[3], "false");
  EXPECT_EQ(v[4], std::nullopt);
  EXPECT_EQ(v[5], "");
  EXPECT_EQ(v[6], "0");
  EXPECT_EQ(v[7], "1e+21");
  EXPECT_EQ(v[8], "1e-7");
  EXPECT_EQ(v[9], "12345678901234567890");
}

TEST(FilterParse, NestedAndOr) {
  auto q = Parse(WithFilters(R"([
    {"or":[
      {"member":"Orders.status","operator":"equals","values":["shipped"]},
      {"and":[
        {"member":"Orders.amount","operator":"gt","values":["100"]},
        {"member":"Orders.createdAt","operator":"inDateRange","values":["2024-01-01","2024-01-31"]}
      ]}
    ]},
    {"member":"Orders.count","operator":"gte","values":["2"]}])"));
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->filters.size(), 2u);
  const FilterNode& root = q->filters[0];
  EXPECT_EQ(root.kind, FilterNode::Kind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].leaf.member, "Orders.status");
  EXPECT_EQ(root.children[1].kind, FilterNode::Kind::kAnd);
  ASSERT_EQ(root.children[1].children.size(), 2u);
  EXPECT_EQ(root.children[1].children[1].leaf.op, FilterOperator::kInDateRange);
  EXPECT_EQ(q->filters[1].leaf.op, FilterOperator::kGte);
}

TEST(FilterParse, EmptyGroupIsAccepted) {
  // Cube accepts {"and": []} and echoes it.
  auto q = Parse(WithFilters(R"([{"and":[]}])"));
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->filters[0].kind, FilterNode::Kind::kAnd);
  EXPECT_TRUE(q->filters[0].children.empty());
}

TEST(FilterParse, UnknownOperatorNamesTopLevelPosition) {
  EXPECT_EQ(ParseError(WithFilters(R"([{"member":"A.b","operator":"nope","values":["1"]}])")),
            kNoMatch0);
  EXPECT_EQ(ParseError(WithFilters(
                R"([{"member":"A.b","operator":"set"},{"or":[{"and":[{"member":"A.b","operator":"nope","values":["1"]}]}]}])")),
            "Invalid query format: child \"filters\" fails because [\"filters\" at position 1 "
            "does not match any of the allowed types]");
}

TEST(FilterParse, ShapeErrors) {
  for (const char* bad : {
           R"([{"dimension":"A.b","member":"A.b","operator":"equals","values":["1"]}])",
           R"([{"operator":"equals","values":["1"]}])",
           R"([{"member":"A.b","values":["1"]}])",
           R"([{"member":"A.b","operator":"equals","values":"x"}])",
           R"([{"member":"A.b","operator":"equals","values":[["x"]]}])",
           R"([{"member":"A.b","operator":"equals","values":[{"a":1}]}])",
           R"([{"member":"Ab","operator":"equals","values":["1"]}])",
           R"([{"member":"A.b","operator":5,"values":["1"]}])",
           R"([{"member":"A.b","operator":"equals","values":["1"],"extra":1}])",
           R"([{"and":[],"or":[]}])",
           R"([{"and":[],"member":"A.b"}])",
           R"([{"and":{}}])",
           R"([{"and":[5]}])",
           R"(["A.b"])",
       }) {
    EXPECT_EQ(ParseError(WithFilters(bad)), kNoMatch0) << bad;
  }
  EXPECT_EQ(ParseError(WithFilters(R"({"member":"A.b"})")),
            "Invalid query format: child \"filters\" fails because [\"filters\" must be an "
            "array]");
}

TEST(FilterParse, ValuesRequired) {
  EXPECT_EQ(ParseError(WithFilters(R"([{"member":"A.b","operator":"equals"}])")),
            R"(Values required for filter: {"member":"A.b","operator":"equals"})");
  // Nested filters are checked too, and quoted as sent (legacy key kept).
  EXPECT_EQ(ParseError(WithFilters(R"([{"and":[{"dimension":"A.c","operator":"gt"}]}])")),
            R"(Values required for filter: {"dimension":"A.c","operator":"gt"})");
}

TEST(FilterParse, OperatorsWithoutValues) {
  for (const char* op : {"set", "notSet", "measureFilter"}) {
    std::string f = std::string(R"([{"member":"A.b","operator":")") + op + R"("}])";
    EXPECT_EQ(ParseError(WithFilters(f)), "OK") << op;
    f = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[]}])";
    EXPECT_EQ(ParseError(WithFilters(f)), "OK") << op;
    f = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":["x"]}])";
    EXPECT_EQ(ParseError(WithFilters(f)), std::string("Operator '") + op +
                                              "' takes no values; got 1 in filter: " +
                                              f.substr(1, f.size() - 2))
        << op;
  }
}

TEST(FilterParse, OperatorsWithOneValue) {
  for (const char* op : {"gt", "gte", "lt", "lte"}) {
    std::string ok = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[5]}])";
    EXPECT_EQ(ParseError(WithFilters(ok)), "OK") << op;
    std::string two =
        std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[1.5,2]}])";
    EXPECT_EQ(ParseError(WithFilters(two)), std::string("Operator '") + op +
                                                "' takes exactly one value; got 2 in filter: " +
                                                two.substr(1, two.size() - 2))
        << op;
    std::string none = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[]}])";
    EXPECT_EQ(ParseError(WithFilters(none)), std::string("Operator '") + op +
                                                 "' takes exactly one value; got 0 in filter: " +
                                                 none.substr(1, none.size() - 2))
        << op;
    std::string null = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[null]}])";
    EXPECT_EQ(ParseError(WithFilters(null)),
              std::string("Operator '") + op + "' does not accept null values in filter: " +
                  null.substr(1, null.size() - 2))
        << op;
  }
}

TEST(FilterParse, OperatorsWithAtLeastOneValue) {
  for (const char* op : {"equals", "notEquals", "contains", "notContains", "startsWith",
                         "notStartsWith", "endsWith", "notEndsWith"}) {
    std::string ok =
        std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":["x","y",null]}])";
    EXPECT_EQ(ParseError(WithFilters(ok)), "OK") << op;
    std::string none = std::string(R"([{"member":"A.b","operator":")") + op + R"(","values":[]}])";
    EXPECT_EQ(ParseError(WithFilters(none)), std::string("Operator '") + op +
                                                 "' needs at least one value in filter: " +
                                                 none.substr(1, none.size() - 2))
        << op;
  }
}

TEST(FilterParse, DateRangeOperatorsTakeTwoDates) {
  for (const char* op : {"inDateRange", "notInDateRange"}) {
    std::string ok = std::string(R"([{"member":"A.t","operator":")") + op +
                     R"(","values":["2024-01-01","2024-01-31T10:00:00.000"]}])";
    EXPECT_EQ(ParseError(WithFilters(ok)), "OK") << op;
    std::string one =
        std::string(R"([{"member":"A.t","operator":")") + op + R"(","values":["2024-01-01"]}])";
    EXPECT_EQ(ParseError(WithFilters(one)), std::string("Operator '") + op +
                                                "' takes exactly two values; got 1 in filter: " +
                                                one.substr(1, one.size() - 2))
        << op;
    std::string bad = std::string(R"([{"member":"A.t","operator":")") + op +
                      R"(","values":["2024-01-01","yesterday"]}])";
    EXPECT_EQ(ParseError(WithFilters(bad)),
              "Can't parse date: 'yesterday' in filter: " + bad.substr(1, bad.size() - 2))
        << op;
  }
}

TEST(FilterParse, SingleDateOperators) {
  for (const char* op : {"beforeDate", "beforeOrOnDate", "afterDate", "afterOrOnDate"}) {
    std::string ok =
        std::string(R"([{"member":"A.t","operator":")") + op + R"(","values":["2024-01-01"]}])";
    EXPECT_EQ(ParseError(WithFilters(ok)), "OK") << op;
    std::string two = std::string(R"([{"member":"A.t","operator":")") + op +
                      R"(","values":["2024-01-01","2024-01-02"]}])";
    EXPECT_EQ(ParseError(WithFilters(two)), std::string("Operator '") + op +
                                                "' takes exactly one value; got 2 in filter: " +
                                                two.substr(1, two.size() - 2))
        << op;
    std::string bad =
        std::string(R"([{"member":"A.t","operator":")") + op + R"(","values":["2024-02-30"]}])";
    EXPECT_EQ(ParseError(WithFilters(bad)),
              "Can't parse date: '2024-02-30' in filter: " + bad.substr(1, bad.size() - 2))
        << op;
  }
}

}  // namespace
}  // namespace tessera::query
