#include "base/civil_time.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

absl::TimeZone Zone(const char* name) { return *LoadZone(name); }

TEST(CivilTime, ParsesBareDate) {
  auto t = ParseLocalTime("2024-02-29", absl::UTCTimeZone());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocal(*t), "2024-02-29T00:00:00.000");
  EXPECT_TRUE(IsBareDate("2024-02-29"));
  EXPECT_FALSE(IsBareDate("2024-02-29T00:00"));
}

TEST(CivilTime, ParsesDateTimeWithMillis) {
  auto t = ParseLocalTime("2024-01-05T10:20:30.1234", absl::UTCTimeZone());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocal(*t), "2024-01-05T10:20:30.123");
  t = ParseLocalTime("2024-01-05 10:20", absl::UTCTimeZone());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocal(*t), "2024-01-05T10:20:00.000");
}

TEST(CivilTime, ZoneSuffixConvertsToLocalWallClock) {
  auto t = ParseLocalTime("2024-01-05T10:00:00Z", Zone("America/New_York"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocal(*t), "2024-01-05T05:00:00.000");
  t = ParseLocalTime("2024-01-05T10:00:00+05:30", absl::UTCTimeZone());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatLocal(*t), "2024-01-05T04:30:00.000");
}

TEST(CivilTime, RejectsImpossibleDates) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-01-01T24:00", "2024-1-1", "yesterday",
                          "2024-01-01X", "2024-01-01T10:00:00.", "", "2024-01-01T10:00:00+25:00"}) {
    EXPECT_FALSE(ParseLocalTime(bad, absl::UTCTimeZone()).ok()) << bad;
  }
}

TEST(CivilTime, UtcInstantOfLocalTime) {
  LocalTime t{absl::CivilSecond(2024, 7, 1, 0, 0, 0), 0};
  EXPECT_EQ(FormatUtcInstant(t, Zone("America/New_York")), "2024-07-01T04:00:00.000Z");
  EXPECT_EQ(FormatUtcSql(t, Zone("Asia/Kolkata")), "2024-06-30 18:30:00.000");
}

TEST(CivilTime, DstGapAndOverlap) {
  // 2024-03-10 02:30 does not exist in New York: the instant after the gap.
  LocalTime gap{absl::CivilSecond(2024, 3, 10, 2, 30, 0), 0};
  EXPECT_EQ(FormatUtcInstant(gap, Zone("America/New_York")), "2024-03-10T07:00:00.000Z");
  // 2024-11-03 01:30 happens twice: the earlier (EDT) one.
  LocalTime twice{absl::CivilSecond(2024, 11, 3, 1, 30, 0), 0};
  EXPECT_EQ(FormatUtcInstant(twice, Zone("America/New_York")), "2024-11-03T05:30:00.000Z");
}

TEST(CivilTime, TruncateEachGranularity) {
  absl::CivilSecond t(2024, 8, 15, 13, 45, 59);  // a Thursday
  EXPECT_EQ(Truncate(t, Granularity::kSecond), t);
  EXPECT_EQ(Truncate(t, Granularity::kMinute), absl::CivilSecond(2024, 8, 15, 13, 45, 0));
  EXPECT_EQ(Truncate(t, Granularity::kHour), absl::CivilSecond(2024, 8, 15, 13, 0, 0));
  EXPECT_EQ(Truncate(t, Granularity::kDay), absl::CivilSecond(2024, 8, 15, 0, 0, 0));
  EXPECT_EQ(Truncate(t, Granularity::kWeek), absl::CivilSecond(2024, 8, 12, 0, 0, 0));
  EXPECT_EQ(Truncate(t, Granularity::kMonth), absl::CivilSecond(2024, 8, 1, 0, 0, 0));
  EXPECT_EQ(Truncate(t, Granularity::kQuarter), absl::CivilSecond(2024, 7, 1, 0, 0, 0));
  EXPECT_EQ(Truncate(t, Granularity::kYear), absl::CivilSecond(2024, 1, 1, 0, 0, 0));
  // A Sunday belongs to the week that started the Monday before.
  EXPECT_EQ(Truncate(absl::CivilSecond(2024, 8, 18, 23, 0, 0), Granularity::kWeek),
            absl::CivilSecond(2024, 8, 12, 0, 0, 0));
}

TEST(CivilTime, Granularities) {
  EXPECT_EQ(*ParseGranularity("quarter"), Granularity::kQuarter);
  EXPECT_EQ(GranularityName(Granularity::kWeek), "week");
  EXPECT_FALSE(ParseGranularity("fortnight").ok());
}

TEST(CivilTime, Zones) {
  EXPECT_TRUE(LoadZone("UTC").ok());
  EXPECT_TRUE(LoadZone("Europe/Berlin").ok());
  EXPECT_FALSE(LoadZone("Mars/Olympus").ok());
  EXPECT_FALSE(LoadZone("../../etc/passwd").ok());
  EXPECT_FALSE(LoadZone("").ok());
}

}  // namespace
}  // namespace tessera
