// ResolveDateRange: a timeDimension's `dateRange` (or any Cube date range
// value) -> an inclusive range of local times in the query's zone.
#include <string>

#include "base/user_error.h"
#include "query/parse.h"
#include "query/relative_date.h"

namespace tessera::query {
namespace {

bool Before(const LocalTime& a, const LocalTime& b) {
  if (a.civil != b.civil) return a.civil < b.civil;
  return a.millis < b.millis;
}

absl::StatusOr<LocalTime> ParseBound(std::string_view text, const absl::TimeZone& zone,
                                     bool is_end) {
  absl::StatusOr<LocalTime> t = ParseLocalTime(text, zone);
  if (!t.ok()) return UserError("Can't parse date: '" + std::string(text) + "'");
  // A bare date as the end bound means the whole of that day, as in Cube.
  if (is_end && IsBareDate(text)) {
    t->civil = absl::CivilSecond(absl::CivilDay(t->civil) + 1) - 1;
    t->millis = 999;
  }
  return t;
}

}  // namespace

absl::StatusOr<DateRange> ResolveDateRange(const boost::json::value& value,
                                           const absl::TimeZone& zone, absl::Time now) {
  DateRange range;
  if (const boost::json::string* text = value.if_string()) {
    absl::StatusOr<DateRange> parsed =
        ParseDateRangeText(std::string_view(text->data(), text->size()), zone, now);
    if (!parsed.ok()) return parsed.status();
    range = *parsed;
  } else if (const boost::json::array* pair = value.if_array();
             pair != nullptr && !pair->empty() && pair->size() <= 2 &&
             pair->front().is_string() && pair->back().is_string()) {
    // One element means a range from that date to the same date.
    const boost::json::string& from = pair->front().get_string();
    const boost::json::string& to = pair->back().get_string();
    absl::StatusOr<LocalTime> from_time =
        ParseBound(std::string_view(from.data(), from.size()), zone, false);
    if (!from_time.ok()) return from_time.status();
    absl::StatusOr<LocalTime> to_time =
        ParseBound(std::string_view(to.data(), to.size()), zone, true);
    if (!to_time.ok()) return to_time.status();
    range = DateRange{*from_time, *to_time};
  } else {
    return UserError("dateRange must be a string or an array of one or two date strings");
  }
  if (Before(range.to, range.from)) {
    return UserError("Invalid dateRange: start " + FormatLocal(range.from) + " is after end " +
                     FormatLocal(range.to));
  }
  return range;
}

}  // namespace tessera::query
