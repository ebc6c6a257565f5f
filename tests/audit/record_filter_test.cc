#include "audit/record_filter.h"

#include <gtest/gtest.h>

#include "audit/record_fields.h"

namespace tessera::audit {
namespace {

// 2026-12-05T14:00:00Z
const absl::Time kTwoPm = absl::FromUnixSeconds(1796479200);

OpenedRecord Open(const std::string& fields) {
  SealedRecord sealed = Seal(ChainPoint{}, fields);
  absl::StatusOr<OpenedRecord> r = OpenLine(sealed.line.substr(0, sealed.line.size() - 1));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : OpenedRecord{};
}

OpenedRecord Request(std::string_view time, std::string_view subject, std::string_view tenant,
                     std::string_view outcome) {
  return Open(RecordFields()
                  .Str("time", time)
                  .Str("kind", "request")
                  .StrOrNull("subject", subject)
                  .StrOrNull("tenant", tenant)
                  .Int("status", outcome == "allowed" ? 200 : 403)
                  .Str("outcome", outcome)
                  .Take());
}

TEST(ParseFilterTime, AcceptsADateOrAnRfc3339TimeWithAZone) {
  struct Case {
    const char* text;
    absl::Time want;
  };
  for (const Case& c : {
           Case{"2026-12-05", kTwoPm - absl::Hours(14)},
           Case{"2026-12-05T14:00:00Z", kTwoPm},
           Case{"2026-12-05t14:00:00z", kTwoPm},
           Case{"2026-12-05T14:00:00.25Z", kTwoPm + absl::Milliseconds(250)},
           Case{"2026-12-05T14:00:00.123456Z", kTwoPm + absl::Microseconds(123456)},
           Case{"2026-12-05T15:00:00+01:00", kTwoPm},
           Case{"2026-12-05T08:30:00-05:30", kTwoPm},
           Case{"2026-12-05T15:00:00.5+01:00", kTwoPm + absl::Milliseconds(500)},
       }) {
    absl::StatusOr<absl::Time> t = ParseFilterTime(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status();
    EXPECT_EQ(*t, c.want) << c.text;
  }
}

TEST(ParseFilterTime, RefusesAnythingElseWithTheFormsItTakes) {
  for (const char* text : {"", "yesterday", "2026-12-05T14:00:00", "2026-12-05 14:00:00Z", "2026-13-05",
                           "2026-12-32", "2026-12-05T25:00:00Z", " 2026-12-05", "2026-12-05 ", "2026-12-05junk",
                           "2026-12-05T14:00Z", "2026-12-05T14:00:00+0100", "1796479200"}) {
    absl::StatusOr<absl::Time> t = ParseFilterTime(text);
    EXPECT_FALSE(t.ok()) << text << " -> " << absl::FormatTime(*t);
    if (!t.ok()) {
      EXPECT_NE(t.status().message().find("expected 2026-12-05, 2026-12-05T14:00:00Z or 2026-12-05T14:00:00+01:00"),
                std::string::npos);
    }
  }
}

TEST(RecordFilter, EveryGivenCriterionMustHold) {
  OpenedRecord alice = Request("2026-12-05T14:00:00.000000Z", "alice", "acme", "denied");
  EXPECT_TRUE(RecordFilter{}.Matches(alice));
  RecordFilter f;
  f.subject = "alice";
  EXPECT_TRUE(f.Matches(alice));
  f.tenant = "acme";
  f.outcome = "denied";
  f.kind = "request";
  EXPECT_TRUE(f.Matches(alice));
  for (auto edit : std::vector<void (*)(RecordFilter&)>{
           [](RecordFilter& g) { g.subject = "bob"; },    [](RecordFilter& g) { g.subject = "Alice"; },
           [](RecordFilter& g) { g.tenant = "globex"; },  [](RecordFilter& g) { g.outcome = "allowed"; },
           [](RecordFilter& g) { g.kind = "start"; },     [](RecordFilter& g) { g.subject = ""; }}) {
    RecordFilter g = f;
    edit(g);
    EXPECT_FALSE(g.Matches(alice));
  }
}

TEST(RecordFilter, ARecordWithoutTheMemberDoesNotMatch) {
  OpenedRecord anonymous = Request("2026-12-05T14:00:00.000000Z", "", "", "invalid");  // null subject and tenant
  OpenedRecord start = Open(RecordFields().Str("time", "2026-12-05T14:00:00.000000Z").Str("kind", "start").Take());
  RecordFilter by_subject;
  by_subject.subject = "";
  EXPECT_FALSE(by_subject.Matches(anonymous));  // null is not the empty string
  EXPECT_FALSE(by_subject.Matches(start));
  RecordFilter by_tenant;
  by_tenant.tenant = "acme";
  EXPECT_FALSE(by_tenant.Matches(start));
  RecordFilter by_kind;
  by_kind.kind = "start";
  EXPECT_TRUE(by_kind.Matches(start));
  EXPECT_FALSE(by_kind.Matches(anonymous));
}

TEST(RecordFilter, SinceIsInclusiveUntilIsExclusive) {
  OpenedRecord at_two = Request("2026-12-05T14:00:00.000000Z", "alice", "acme", "allowed");
  OpenedRecord just_after = Request("2026-12-05T14:00:00.000001Z", "alice", "acme", "allowed");
  RecordFilter f;
  f.since = kTwoPm;
  EXPECT_TRUE(f.Matches(at_two));
  EXPECT_TRUE(f.Matches(just_after));
  f.since = kTwoPm + absl::Microseconds(1);
  EXPECT_FALSE(f.Matches(at_two));
  EXPECT_TRUE(f.Matches(just_after));
  RecordFilter g;
  g.until = kTwoPm + absl::Microseconds(1);
  EXPECT_TRUE(g.Matches(at_two));
  EXPECT_FALSE(g.Matches(just_after));
  // A record whose time cannot be read never matches a time bound.
  OpenedRecord no_time = Open(RecordFields().Str("kind", "request").Take());
  OpenedRecord bad_time = Open(RecordFields().Str("time", "yesterday").Take());
  EXPECT_TRUE(RecordFilter{}.Matches(no_time));
  EXPECT_FALSE(g.Matches(no_time));
  EXPECT_FALSE(g.Matches(bad_time));
  EXPECT_EQ(RecordTimeOf(at_two), kTwoPm);
  EXPECT_EQ(RecordTimeOf(bad_time), std::nullopt);
}

}  // namespace
}  // namespace tessera::audit
