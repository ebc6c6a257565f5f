// Date ranges, explicit and relative. Expected values were recorded from
// Cube's own dateParser (api-gateway 0.27.53, and 1.x's for "next"/
// "tomorrow") at the same instants and zones.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "query/parse.h"
#include "query_test_support.h"

namespace tessera::query {
namespace {

using testing::FixedNow;

absl::Time At(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

absl::TimeZone Zone(const char* name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

// "from .. to" as text, or the error message.
std::string Range(const boost::json::value& v, const absl::TimeZone& zone, absl::Time now) {
  auto r = ResolveDateRange(v, zone, now);
  if (!r.ok()) return std::string(r.status().message());
  return FormatLocal(r->from) + " " + FormatLocal(r->to);
}

std::string Range(const char* text, const absl::TimeZone& zone, absl::Time now) {
  return Range(boost::json::value(text), zone, now);
}

struct Case {
  const char* text;
  const char* expected;
};

// Friday 2024-03-15 14:30 UTC.
TEST(RelativeDateRange, Utc) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const Case cases[] = {
      {"today", "2024-03-15T00:00:00.000 2024-03-15T23:59:59.999"},
      {"yesterday", "2024-03-14T00:00:00.000 2024-03-14T23:59:59.999"},
      {"tomorrow", "2024-03-16T00:00:00.000 2024-03-16T23:59:59.999"},
      {"this week", "2024-03-11T00:00:00.000 2024-03-17T23:59:59.999"},
      {"this month", "2024-03-01T00:00:00.000 2024-03-31T23:59:59.999"},
      {"this quarter", "2024-01-01T00:00:00.000 2024-03-31T23:59:59.999"},
      {"this year", "2024-01-01T00:00:00.000 2024-12-31T23:59:59.999"},
      {"this day", "2024-03-15T00:00:00.000 2024-03-15T23:59:59.999"},
      {"this hour", "2024-03-15T14:00:00.000 2024-03-15T14:59:59.999"},
      {"last week", "2024-03-04T00:00:00.000 2024-03-10T23:59:59.999"},
      {"last month", "2024-02-01T00:00:00.000 2024-02-29T23:59:59.999"},
      {"last quarter", "2023-10-01T00:00:00.000 2023-12-31T23:59:59.999"},
      {"last year", "2023-01-01T00:00:00.000 2023-12-31T23:59:59.999"},
      {"next week", "2024-03-18T00:00:00.000 2024-03-24T23:59:59.999"},
      {"next month", "2024-04-01T00:00:00.000 2024-04-30T23:59:59.999"},
      {"next quarter", "2024-04-01T00:00:00.000 2024-06-30T23:59:59.999"},
      {"next year", "2025-01-01T00:00:00.000 2025-12-31T23:59:59.999"},
      {"last 7 days", "2024-03-08T00:00:00.000 2024-03-14T23:59:59.999"},
      {"last 2 weeks", "2024-02-26T00:00:00.000 2024-03-10T23:59:59.999"},
      {"last 3 months", "2023-12-01T00:00:00.000 2024-02-29T23:59:59.999"},
      {"last 2 quarters", "2023-07-01T00:00:00.000 2023-12-31T23:59:59.999"},
      {"last 1 year", "2023-01-01T00:00:00.000 2023-12-31T23:59:59.999"},
      {"last 2 hours", "2024-03-15T12:00:00.000 2024-03-15T13:59:59.999"},
      {"next 3 days", "2024-03-16T00:00:00.000 2024-03-18T23:59:59.999"},
      {"LAST 7 DAYS", "2024-03-08T00:00:00.000 2024-03-14T23:59:59.999"},
      {"Yesterday", "2024-03-14T00:00:00.000 2024-03-14T23:59:59.999"},
      {"now", "2024-03-15T00:00:00.000 2024-03-15T23:59:59.999"},
      {"7 days ago", "2024-03-08T00:00:00.000 2024-03-08T23:59:59.999"},
      {"a week ago", "2024-03-08T00:00:00.000 2024-03-08T23:59:59.999"},
      {"in 3 days", "2024-03-18T00:00:00.000 2024-03-18T23:59:59.999"},
      {"3 days from now", "2024-03-18T00:00:00.000 2024-03-18T23:59:59.999"},
      {"5 minutes ago", "2024-03-15T14:25:00.000 2024-03-15T14:25:59.999"},
      {"2024-01-05", "2024-01-05T00:00:00.000 2024-01-05T23:59:59.999"},
      {"2024-01-05T10:00:00", "2024-01-05T00:00:00.000 2024-01-05T23:59:59.999"},
      {"from 2024-01-01 to 2024-01-31", "2024-01-01T00:00:00.000 2024-01-31T23:59:59.999"},
      {"from  2024-01-01  to  2024-01-03 ", "2024-01-01T00:00:00.000 2024-01-03T23:59:59.999"},
      {"from 7 days ago to now", "2024-03-08T00:00:00.000 2024-03-15T23:59:59.999"},
      {"from 2 hours ago to now", "2024-03-15T12:00:00.000 2024-03-15T14:59:59.999"},
      {"from 3 days ago to 2 days from now", "2024-03-12T00:00:00.000 2024-03-17T23:59:59.999"},
      {"from now to 2 weeks from now", "2024-03-15T00:00:00.000 2024-03-29T23:59:59.999"},
      // Cube looks for "today" anywhere before it looks for "from .. to".
      {"from 2024-03-01 to today", "2024-03-15T00:00:00.000 2024-03-15T23:59:59.999"},
      {"last week of year", "2024-03-04T00:00:00.000 2024-03-10T23:59:59.999"},
  };
  for (const Case& c : cases) EXPECT_EQ(Range(c.text, utc, FixedNow()), c.expected) << c.text;
}

// 2024-03-10 23:30 in New York (EDT, the day clocks went forward), a Sunday.
TEST(RelativeDateRange, NewYorkEvening) {
  const absl::TimeZone ny = Zone("America/New_York");
  const absl::Time now = At(2024, 3, 11, 3, 30);
  const Case cases[] = {
      {"today", "2024-03-10T00:00:00.000 2024-03-10T23:59:59.999"},
      {"yesterday", "2024-03-09T00:00:00.000 2024-03-09T23:59:59.999"},
      {"tomorrow", "2024-03-11T00:00:00.000 2024-03-11T23:59:59.999"},
      {"this week", "2024-03-04T00:00:00.000 2024-03-10T23:59:59.999"},
      {"last week", "2024-02-26T00:00:00.000 2024-03-03T23:59:59.999"},
      {"next week", "2024-03-11T00:00:00.000 2024-03-17T23:59:59.999"},
      {"last 7 days", "2024-03-03T00:00:00.000 2024-03-09T23:59:59.999"},
      {"last 2 weeks", "2024-02-19T00:00:00.000 2024-03-03T23:59:59.999"},
      {"last 2 hours", "2024-03-10T21:00:00.000 2024-03-10T22:59:59.999"},
      {"this hour", "2024-03-10T23:00:00.000 2024-03-10T23:59:59.999"},
      {"this month", "2024-03-01T00:00:00.000 2024-03-31T23:59:59.999"},
      {"7 days ago", "2024-03-03T00:00:00.000 2024-03-03T23:59:59.999"},
      {"from 7 days ago to now", "2024-03-03T00:00:00.000 2024-03-10T23:59:59.999"},
  };
  for (const Case& c : cases) EXPECT_EQ(Range(c.text, ny, now), c.expected) << c.text;
}

// 2024-03-10 04:30 EDT, two and a half hours after the clocks jumped from
// 02:00 to 03:00. "last N hours" counts real hours; chrono's "N hours ago"
// counts on the wall clock (Cube's mix, reproduced).
TEST(RelativeDateRange, NewYorkAcrossDstGap) {
  const absl::TimeZone ny = Zone("America/New_York");
  const absl::Time now = At(2024, 3, 10, 8, 30);
  const Case cases[] = {
      {"last 3 hours", "2024-03-10T00:00:00.000 2024-03-10T03:59:59.999"},
      {"this hour", "2024-03-10T04:00:00.000 2024-03-10T04:59:59.999"},
      {"from 3 hours ago to now", "2024-03-10T01:00:00.000 2024-03-10T04:59:59.999"},
      {"2 hours ago", "2024-03-10T03:00:00.000 2024-03-10T03:59:59.999"},
      {"in 2 hours", "2024-03-10T06:00:00.000 2024-03-10T06:59:59.999"},
      {"3 seconds ago", "2024-03-10T04:29:57.000 2024-03-10T04:29:57.999"},
      {"an hour ago", "2024-03-10T03:00:00.000 2024-03-10T03:59:59.999"},
      {"one week ago", "2024-03-03T00:00:00.000 2024-03-03T23:59:59.999"},
      {"2 months ago", "2024-01-10T00:00:00.000 2024-01-10T23:59:59.999"},
      {"2 quarters ago", "2023-09-10T00:00:00.000 2023-09-10T23:59:59.999"},
      {"1 year ago", "2023-03-10T00:00:00.000 2023-03-10T23:59:59.999"},
      {"5 days later", "2024-03-15T00:00:00.000 2024-03-15T23:59:59.999"},
      {"12 days ago", "2024-02-27T00:00:00.000 2024-02-27T23:59:59.999"},
  };
  for (const Case& c : cases) EXPECT_EQ(Range(c.text, ny, now), c.expected) << c.text;
}

TEST(RelativeDateRange, MonthArithmeticClampsTheDay) {
  const absl::Time may31 = At(2024, 5, 31, 12, 0);
  EXPECT_EQ(Range("1 month ago", absl::UTCTimeZone(), may31),
            "2024-04-30T00:00:00.000 2024-04-30T23:59:59.999");
  EXPECT_EQ(Range("last 1 month", absl::UTCTimeZone(), may31),
            "2024-04-01T00:00:00.000 2024-04-30T23:59:59.999");
}

TEST(RelativeDateRange, Unparseable) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(Range("garbage", utc, FixedNow()), "Can't parse date: 'garbage'");
  EXPECT_EQ(Range("Garbage", utc, FixedNow()), "Can't parse date: 'garbage'");
  EXPECT_EQ(Range("2024-13-45", utc, FixedNow()), "Can't parse date: '2024-13-45'");
  EXPECT_EQ(Range("from 2024-02-30 to 2024-03-01", utc, FixedNow()),
            "Can't parse date: '2024-02-30'");
  EXPECT_EQ(Range("from 2024-01-01 to someday", utc, FixedNow()), "Can't parse date: 'someday'");
  EXPECT_EQ(Range("", utc, FixedNow()), "Can't parse date: ''");
  EXPECT_EQ(Range("last 99999999999 days", utc, FixedNow()),
            "Can't parse date: 'last 99999999999 days'");
  EXPECT_EQ(Range("last 999999 years", utc, FixedNow()), "Can't parse date: 'last 999999 years'");
  EXPECT_EQ(Range("last 0 days", utc, FixedNow()),
            "Invalid dateRange: start 2024-03-15T00:00:00.000 is after end "
            "2024-03-14T23:59:59.999");
}

TEST(ExplicitDateRange, PairOfDates) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-01-01","2024-02-29"])"), utc, FixedNow()),
            "2024-01-01T00:00:00.000 2024-02-29T23:59:59.999");
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-01-01T10:20:30","2024-01-02 11:00:00.5"])"), utc,
                  FixedNow()),
            "2024-01-01T10:20:30.000 2024-01-02T11:00:00.500");
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-01-05"])"), utc, FixedNow()),
            "2024-01-05T00:00:00.000 2024-01-05T23:59:59.999");
}

TEST(ExplicitDateRange, ZoneSuffixConvertsToTheQueryZone) {
  const absl::TimeZone ny = Zone("America/New_York");
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-01-01T05:00:00Z","2024-01-02"])"), ny, FixedNow()),
            "2024-01-01T00:00:00.000 2024-01-02T23:59:59.999");
}

TEST(ExplicitDateRange, Errors) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-02-01","2024-01-01"])"), utc, FixedNow()),
            "Invalid dateRange: start 2024-02-01T00:00:00.000 is after end "
            "2024-01-01T23:59:59.999");
  EXPECT_EQ(Range(boost::json::parse(R"(["2024-01-01","today"])"), utc, FixedNow()),
            "Can't parse date: 'today'");
  EXPECT_EQ(Range(boost::json::parse(R"([])"), utc, FixedNow()),
            "dateRange must be a string or an array of one or two date strings");
  EXPECT_EQ(Range(boost::json::parse(R"(5)"), utc, FixedNow()),
            "dateRange must be a string or an array of one or two date strings");
}

TEST(TimeDimensionParse, GranularityAndDateRange) {
  auto q = testing::Parse(
      R"({"measures":["A.b"],"timezone":"America/New_York","timeDimensions":[{"dimension":"A.t","granularity":"week","dateRange":"last week"}]})");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->time_dimensions.size(), 1u);
  EXPECT_EQ(q->time_dimensions[0].granularity, Granularity::kWeek);
  ASSERT_TRUE(q->time_dimensions[0].date_range.has_value());
  EXPECT_EQ(FormatLocal(q->time_dimensions[0].date_range->from), "2024-03-04T00:00:00.000");
}

TEST(TimeDimensionParse, NullGranularityMeansNone) {
  auto q = testing::Parse(
      R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.t","granularity":null}]})");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_FALSE(q->time_dimensions[0].granularity.has_value());
  EXPECT_FALSE(q->time_dimensions[0].date_range.has_value());
}

TEST(TimeDimensionParse, SchemaErrors) {
  using testing::ParseError;
  const std::string prefix =
      "Invalid query format: child \"timeDimensions\" fails because [\"timeDimensions\" at "
      "position 0 fails because [";
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","granularity":"fortnight"}]})"),
            prefix +
                "child \"granularity\" fails because [\"granularity\" must be one of [quarter, "
                "day, month, year, week, hour, minute, second, null]]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"granularity":"day"}]})"),
            prefix + "child \"dimension\" fails because [\"dimension\" is required]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"Ac"}]})"),
            prefix +
                "child \"dimension\" fails because [\"dimension\" with value \"Ac\" fails to "
                "match the required pattern: /^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","dateRange":[]}]})"),
            prefix +
                "child \"dateRange\" fails because [\"dateRange\" must contain at least 1 items, "
                "\"dateRange\" must be a string]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","dateRange":["2024-01-01","2024-01-02","x"]}]})"),
            prefix +
                "child \"dateRange\" fails because [\"dateRange\" must contain less than or "
                "equal to 2 items, \"dateRange\" must be a string]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","dateRange":[1]}]})"),
            prefix +
                "child \"dateRange\" fails because [\"dateRange\" at position 0 fails because "
                "[\"0\" must be a string], \"dateRange\" must be a string]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","dateRange":5}]})"),
            prefix +
                "child \"dateRange\" fails because [\"dateRange\" must be an array, \"dateRange\" "
                "must be a string]]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","foo":5}]})"),
            prefix + "\"foo\" is not allowed]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[5]})"),
            prefix + "\"0\" must be an object]]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":{}})"),
            "Invalid query format: child \"timeDimensions\" fails because [\"timeDimensions\" "
            "must be an array]");
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","dateRange":"garbage"}]})"),
            "Can't parse date: 'garbage'");
  // compareDateRange expands into one query per range (Cube's compareDateRangeQuery).
  {
    ParseOptions options;
    options.now = absl::FromCivil(absl::CivilSecond(2024, 6, 15, 12, 0, 0), absl::UTCTimeZone());
    auto r = ParseQueryText(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","granularity":"day","compareDateRange":[["2024-01-01","2024-01-31"],"2024-02-10"]}]})", options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->compare_date_range);
    ASSERT_EQ(r->queries.size(), 2u);
    EXPECT_EQ(FormatLocal(r->queries[0].time_dimensions[0].date_range->from), "2024-01-01T00:00:00.000");
    EXPECT_EQ(FormatLocal(r->queries[1].time_dimensions[0].date_range->to), "2024-02-10T23:59:59.999");
    EXPECT_TRUE(r->queries[1].time_dimensions[0].compare_date_ranges.empty());
  }
  EXPECT_EQ(ParseError(R"({"measures":["A.b"],"timeDimensions":[{"dimension":"A.c","compareDateRange":[]}]})"),
            "Invalid query format: child \"timeDimensions\" fails because [\"timeDimensions\" at position 0 fails because [child \"compareDateRange\" fails because [\"compareDateRange\" must be a non-empty array of date ranges]]]");
}

}  // namespace
}  // namespace tessera::query
