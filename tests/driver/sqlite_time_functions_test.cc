// tessera_bucket / tessera_local, the SQL functions that give SQLite time
// zones, exercised through the data source as the SQLite dialect uses them.
#include <optional>
#include <string>

#include "base/civil_time.h"
#include "driver/data_source.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sqlite_test_db.h"

namespace tessera::driver {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using sql::Param;
using Type = sql::Param::Type;

class TimeFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = dir_.path() + "/t.db";
    testing::CreateDatabase(path, R"sql(
      CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT);
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
      INSERT INTO events SELECT i, datetime('2024-01-01', '+' || (i * 3600) || ' seconds') FROM n;
    )sql");
    DataSourceConfig config;
    config.database = path;
    absl::StatusOr<DataSourcePtr> source = OpenDataSource(config);
    ASSERT_TRUE(source.ok()) << source.status();
    source_ = *source;
  }

  // tessera_bucket(ts, g, tz) with ts as text.
  Cell Bucket(const std::string& ts, const std::string& g, const std::string& tz) {
    return One("SELECT tessera_bucket(?1, ?2, ?3)",
               {Param{Type::kText, ts}, Param{Type::kText, g}, Param{Type::kText, tz}});
  }
  Cell Local(const std::string& ts, const std::string& tz) {
    return One("SELECT tessera_local(?1, ?2)", {Param{Type::kText, ts}, Param{Type::kText, tz}});
  }
  Cell One(const std::string& sql, const sql::Params& params) {
    absl::StatusOr<ResultSet> rs = source_->Execute(sql, params);
    EXPECT_TRUE(rs.ok()) << sql << ": " << rs.status();
    if (!rs.ok() || rs->rows.size() != 1 || rs->rows[0].size() != 1) return "<error>";
    return rs->rows[0][0];
  }
  absl::Status Error(const std::string& sql, const sql::Params& params = {}) {
    return source_->Execute(sql, params).status();
  }

  testing::TempDir dir_;
  DataSourcePtr source_;
};

TEST_F(TimeFunctionsTest, EachGranularityInUtc) {
  // 2024-03-14 is a Thursday.
  const std::string ts = "2024-03-14 15:09:26";
  EXPECT_EQ(Bucket(ts, "second", "UTC"), "2024-03-14T15:09:26.000");
  EXPECT_EQ(Bucket(ts, "minute", "UTC"), "2024-03-14T15:09:00.000");
  EXPECT_EQ(Bucket(ts, "hour", "UTC"), "2024-03-14T15:00:00.000");
  EXPECT_EQ(Bucket(ts, "day", "UTC"), "2024-03-14T00:00:00.000");
  EXPECT_EQ(Bucket(ts, "week", "UTC"), "2024-03-11T00:00:00.000");
  EXPECT_EQ(Bucket(ts, "month", "UTC"), "2024-03-01T00:00:00.000");
  EXPECT_EQ(Bucket(ts, "quarter", "UTC"), "2024-01-01T00:00:00.000");
  EXPECT_EQ(Bucket(ts, "year", "UTC"), "2024-01-01T00:00:00.000");
}

TEST_F(TimeFunctionsTest, WeeksStartOnMonday) {
  EXPECT_EQ(Bucket("2024-01-01", "week", "UTC"), "2024-01-01T00:00:00.000");  // a Monday
  EXPECT_EQ(Bucket("2023-01-01", "week", "UTC"), "2022-12-26T00:00:00.000");  // a Sunday
  EXPECT_EQ(Bucket("2024-03-17 23:59:59", "week", "UTC"), "2024-03-11T00:00:00.000");
  // Monday 03:00 UTC is still Sunday evening in New York.
  EXPECT_EQ(Bucket("2024-03-11 03:00:00", "week", "America/New_York"), "2024-03-04T00:00:00.000");
}

TEST_F(TimeFunctionsTest, Quarters) {
  EXPECT_EQ(Bucket("2024-02-29", "quarter", "UTC"), "2024-01-01T00:00:00.000");
  EXPECT_EQ(Bucket("2024-04-01", "quarter", "UTC"), "2024-04-01T00:00:00.000");
  EXPECT_EQ(Bucket("2024-08-20 12:00", "quarter", "UTC"), "2024-07-01T00:00:00.000");
  // New Year in UTC, still Q4 in New York.
  EXPECT_EQ(Bucket("2025-01-01 03:00:00", "quarter", "America/New_York"),
            "2024-10-01T00:00:00.000");
  EXPECT_EQ(Bucket("2025-01-01 03:00:00", "year", "America/New_York"), "2024-01-01T00:00:00.000");
}

TEST_F(TimeFunctionsTest, NewYorkDaylightSavingTransitions) {
  const std::string ny = "America/New_York";
  // Spring forward: 2024-03-10 02:00 EST becomes 03:00 EDT (07:00 UTC).
  EXPECT_EQ(Local("2024-03-10 06:59:59", ny), "2024-03-10T01:59:59.000");
  EXPECT_EQ(Local("2024-03-10 07:00:00", ny), "2024-03-10T03:00:00.000");
  EXPECT_EQ(Bucket("2024-03-10 07:30:00", "hour", ny), "2024-03-10T03:00:00.000");
  EXPECT_EQ(Bucket("2024-03-10 04:59:59", "day", ny), "2024-03-09T00:00:00.000");
  EXPECT_EQ(Bucket("2024-03-10 05:00:00", "day", ny), "2024-03-10T00:00:00.000");
  // That day has 23 hours: the next day starts at 04:00 UTC, not 05:00.
  EXPECT_EQ(Bucket("2024-03-11 03:59:59", "day", ny), "2024-03-10T00:00:00.000");
  EXPECT_EQ(Bucket("2024-03-11 04:00:00", "day", ny), "2024-03-11T00:00:00.000");
  // Fall back: 01:30 happens twice (05:30 UTC in EDT, 06:30 UTC in EST).
  EXPECT_EQ(Local("2024-11-03 05:30:00", ny), "2024-11-03T01:30:00.000");
  EXPECT_EQ(Local("2024-11-03 06:30:00", ny), "2024-11-03T01:30:00.000");
  EXPECT_EQ(Bucket("2024-11-03 05:30:00", "hour", ny), "2024-11-03T01:00:00.000");
  EXPECT_EQ(Bucket("2024-11-03 06:30:00", "hour", ny), "2024-11-03T01:00:00.000");
  EXPECT_EQ(Bucket("2024-11-04 04:59:59", "day", ny), "2024-11-03T00:00:00.000");
  EXPECT_EQ(Bucket("2024-11-04 05:00:00", "day", ny), "2024-11-04T00:00:00.000");
}

TEST_F(TimeFunctionsTest, BerlinDaylightSavingTransitions) {
  const std::string berlin = "Europe/Berlin";
  // Spring forward: 02:00 CET becomes 03:00 CEST (01:00 UTC).
  EXPECT_EQ(Local("2024-03-31 00:59:59", berlin), "2024-03-31T01:59:59.000");
  EXPECT_EQ(Local("2024-03-31 01:00:00", berlin), "2024-03-31T03:00:00.000");
  EXPECT_EQ(Bucket("2024-03-30 22:59:59", "day", berlin), "2024-03-30T00:00:00.000");
  EXPECT_EQ(Bucket("2024-03-30 23:00:00", "day", berlin), "2024-03-31T00:00:00.000");
  EXPECT_EQ(Bucket("2024-03-31 22:30:00", "month", berlin), "2024-04-01T00:00:00.000");
  // Fall back: 02:30 happens twice.
  EXPECT_EQ(Local("2024-10-27 00:30:00", berlin), "2024-10-27T02:30:00.000");
  EXPECT_EQ(Local("2024-10-27 01:30:00", berlin), "2024-10-27T02:30:00.000");
  EXPECT_EQ(Bucket("2024-10-27 01:30:00", "hour", berlin), "2024-10-27T02:00:00.000");
  EXPECT_EQ(Bucket("2024-12-31 23:30:00", "year", berlin), "2025-01-01T00:00:00.000");
}

TEST_F(TimeFunctionsTest, AcceptedTextForms) {
  EXPECT_EQ(Local("2024-03-14", "UTC"), "2024-03-14T00:00:00.000");
  EXPECT_EQ(Local("2024-03-14 15:09", "UTC"), "2024-03-14T15:09:00.000");
  EXPECT_EQ(Local("2024-03-14T15:09:26", "UTC"), "2024-03-14T15:09:26.000");
  EXPECT_EQ(Local("2024-03-14T15:09:26Z", "UTC"), "2024-03-14T15:09:26.000");
  EXPECT_EQ(Local("2024-03-14 15:09:26.123456", "UTC"), "2024-03-14T15:09:26.123");
  EXPECT_EQ(Local("2024-03-14T15:09:26.5Z", "Asia/Kolkata"), "2024-03-14T20:39:26.500");
  EXPECT_EQ(Bucket("2024-03-14T15:09:26.999Z", "second", "UTC"), "2024-03-14T15:09:26.000");
}

TEST_F(TimeFunctionsTest, EpochInputs) {
  // 1710428966 = 2024-03-14 15:09:26 UTC.
  EXPECT_EQ(One("SELECT tessera_local(1710428966, 'UTC')", {}), "2024-03-14T15:09:26.000");
  EXPECT_EQ(One("SELECT tessera_local(?1, 'America/New_York')", {Param{Type::kInteger, "1710428966"}}),
            "2024-03-14T11:09:26.000");
  EXPECT_EQ(One("SELECT tessera_local(1710428966.25, 'UTC')", {}), "2024-03-14T15:09:26.250");
  // 1234567890.123 is not exact in binary; it still reads as .123.
  EXPECT_EQ(One("SELECT tessera_local(1234567890.123, 'UTC')", {}), "2009-02-13T23:31:30.123");
  EXPECT_EQ(One("SELECT tessera_local(?1, 'UTC')", {Param{Type::kReal, "-0.5"}}),
            "1969-12-31T23:59:59.500");
  EXPECT_EQ(One("SELECT tessera_bucket(1710428966, 'week', 'Europe/Berlin')", {}),
            "2024-03-11T00:00:00.000");
  EXPECT_EQ(One("SELECT tessera_bucket(0, 'day', 'America/New_York')", {}),
            "1969-12-31T00:00:00.000");
}

TEST_F(TimeFunctionsTest, NullInNullOut) {
  EXPECT_EQ(One("SELECT tessera_bucket(NULL, 'day', 'UTC')", {}), std::nullopt);
  EXPECT_EQ(One("SELECT tessera_local(NULL, 'UTC')", {}), std::nullopt);
  EXPECT_EQ(One("SELECT tessera_bucket(?1, 'day', 'UTC')", {Param{Type::kNull, ""}}), std::nullopt);
}

TEST_F(TimeFunctionsTest, BadArgumentsAreErrors) {
  absl::Status s = Error("SELECT tessera_bucket('2024-01-01', 'day', ?1)",
                         {Param{Type::kText, "Mars/Olympus_Mons"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("unknown time zone"));
  EXPECT_THAT(s.message(), Not(HasSubstr("Olympus")));  // values stay out of messages

  s = Error("SELECT tessera_local('2024-01-01', '../../etc/passwd')");
  EXPECT_THAT(s.message(), HasSubstr("unknown time zone"));

  s = Error("SELECT tessera_bucket('2024-01-01', 'fortnight', 'UTC')");
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("unknown granularity"));

  for (const char* ts : {"yesterday", "2024-13-01", "2024-02-30", "2024-01-01 25:00", ""}) {
    s = Error("SELECT tessera_bucket(?1, 'day', 'UTC')", {Param{Type::kText, ts}});
    EXPECT_THAT(s.message(), HasSubstr("cannot parse timestamp")) << ts;
  }
  s = Error("SELECT tessera_local(x'00', 'UTC')");
  EXPECT_THAT(s.message(), HasSubstr("must be text or a number"));
  s = Error("SELECT tessera_local('2024-01-01', NULL)");
  EXPECT_THAT(s.message(), HasSubstr("time zone (argument 2) must be text"));
}

TEST_F(TimeFunctionsTest, BucketsAWholeTable) {
  // 10,000 hourly events from 2024-01-01 00:00 UTC, bucketed by day in New
  // York: the first local day (Dec 31) gets the 5 hours before 05:00 UTC.
  absl::StatusOr<ResultSet> rs = source_->Execute(
      "SELECT tessera_bucket(at, 'day', ?1) AS day, count(*) FROM events "
      "GROUP BY day ORDER BY day LIMIT 2",
      {Param{Type::kText, "America/New_York"}});
  ASSERT_TRUE(rs.ok()) << rs.status();
  ASSERT_EQ(rs->rows.size(), 2u);
  EXPECT_EQ(rs->rows[0][0], "2023-12-31T00:00:00.000");
  EXPECT_EQ(rs->rows[0][1], "5");
  EXPECT_EQ(rs->rows[1][0], "2024-01-01T00:00:00.000");
  EXPECT_EQ(rs->rows[1][1], "24");

  rs = source_->Execute(
      "SELECT count(DISTINCT tessera_bucket(at, 'month', ?1)), "
      "count(DISTINCT tessera_local(at, ?1)) FROM events",
      {Param{Type::kText, "Europe/Berlin"}});
  ASSERT_TRUE(rs.ok()) << rs.status();
  // 10,000 hours from 2024-01-01 01:00 Berlin reach 2025-02-20: 14 months;
  // the fall-back hour repeats a local time, so one fewer distinct value.
  EXPECT_EQ(rs->rows[0][0], "14");
  EXPECT_EQ(rs->rows[0][1], "9999");
}

TEST_F(TimeFunctionsTest, FormatsExactlyLikeFormatLocal) {
  // The functions format by hand for speed; they must agree with base's
  // FormatLocal, which the rest of the API uses. Every 12,345,679 s from
  // 1900 covers all field widths, plus years beyond 9999 (the fallback path).
  for (int64_t epoch = -2208988800LL; epoch < 4102444800LL; epoch += 12345679) {
    const int millis = static_cast<int>(((epoch / 7) % 1000 + 1000) % 1000);
    // "-X.mmm" is -(X + mmm/1000): the fraction counts away from zero.
    const std::string ts = std::to_string(epoch) + "." + std::to_string(1000 + millis).substr(1);
    const int64_t ms = epoch * 1000 + (epoch < 0 ? -millis : millis);
    const int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);  // floor
    const absl::Time whole = absl::FromUnixSeconds(secs);
    const int expected_millis = static_cast<int>(ms - secs * 1000);
    const std::string expected =
        FormatLocal(LocalTime{absl::ToCivilSecond(whole, absl::UTCTimeZone()), expected_millis});
    EXPECT_EQ(One("SELECT tessera_local(" + ts + ", 'UTC')", {}), expected) << ts;
  }
  EXPECT_EQ(One("SELECT tessera_local(253402300800, 'UTC')", {}),
            FormatLocal(LocalTime{absl::CivilSecond(10000, 1, 1, 0, 0, 0), 0}));
}

}  // namespace
}  // namespace tessera::driver
