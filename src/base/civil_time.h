#pragma once
// Calendar arithmetic in IANA time zones (cctz via Abseil): parsing the date
// strings clients send, and formatting local timestamps the way Cube does
// ("2024-01-01T00:00:00.000", no zone suffix).
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tessera {

enum class Granularity { kSecond, kMinute, kHour, kDay, kWeek, kMonth, kQuarter, kYear };

// "day" -> kDay; error for anything not in Cube's list.
absl::StatusOr<Granularity> ParseGranularity(std::string_view name);
std::string_view GranularityName(Granularity g);

// Looks up an IANA zone name ("UTC", "America/New_York"); cached, thread-safe.
absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name);

// A local wall-clock instant with millisecond precision.
struct LocalTime {
  absl::CivilSecond civil;
  int millis = 0;
  friend bool operator==(const LocalTime&, const LocalTime&) = default;
};

// Parses "2024-01-01", "2024-01-01T10:20:30", "2024-01-01 10:20:30.123",
// optionally followed by "Z" or "+02:00". A zone suffix converts the instant
// into `zone`'s wall clock; without one the text is already local.
absl::StatusOr<LocalTime> ParseLocalTime(std::string_view text, const absl::TimeZone& zone);
// True when the text is a bare date ("2024-01-01"): Cube widens such an end
// bound to the end of that day.
bool IsBareDate(std::string_view text);

// "2024-01-01T00:00:00.000"
std::string FormatLocal(const LocalTime& t);
// The UTC instant of a local time in `zone`, as "2024-01-01T05:00:00.000Z".
std::string FormatUtcInstant(const LocalTime& t, const absl::TimeZone& zone);
// As FormatUtcInstant without the trailing Z, with a space: "2024-01-01 05:00:00.000",
// the form SQLite stores and compares.
std::string FormatUtcSql(const LocalTime& t, const absl::TimeZone& zone);

// Start of the bucket containing `t` (weeks start on Monday, as in ISO 8601
// and PostgreSQL's date_trunc).
absl::CivilSecond Truncate(absl::CivilSecond t, Granularity g);

}  // namespace tessera
