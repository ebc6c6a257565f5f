#pragma once
// A `dateRange` given as one string, resolved the way Cube's dateParser
// (api-gateway, moment + chrono) resolves it. The rules, in Cube's order,
// on the lower-cased text:
//   1. "(this|last|next) <unit>" anywhere in the text: that whole unit
//      (weeks start on Monday), shifted by -1/0/+1;
//   2. "(last|next) N <unit>": the N whole units before the current one
//      (so "last 7 days" ends yesterday), or after it;
//   3. "today", "yesterday", "tomorrow" anywhere in the text;
//   4. "from X to Y": X's and Y's units, each X/Y a point (below);
//   5. otherwise the text is one point, widened to its unit.
// A point is "now", "today", "tomorrow", "yesterday", an ISO date or
// date-time, "N <unit>s ago", "in N <unit>s", "N <unit>s from now" or
// "N <unit>s later" (N a number, "a"/"an" or one..twelve). Its unit is
// second, minute or hour when the text mentions that word, else day.
// Units: second, minute, hour, day, week, month, quarter, year.
//
// Where Cube hands the text to chrono, which finds a date anywhere in free
// text ("foo 2024-01-05"), we require the whole text to be a point: a typo
// is an error rather than a silently different range.
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "query/query.h"

namespace tessera::query {

absl::StatusOr<DateRange> ParseDateRangeText(std::string_view text, const absl::TimeZone& zone,
                                             absl::Time now);

}  // namespace tessera::query
