#pragma once
// The `timeDimensions` array: shapes only. Date ranges are resolved later
// (they need the query's time zone), so the raw `dateRange` is kept.
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "query/query.h"

namespace tessera::query {

struct TimeDimensionInput {
  TimeDimension time_dimension;               // date_range not yet set
  const boost::json::value* date_range = nullptr;  // points into the parsed JSON
  const boost::json::value* compare_date_range = nullptr;  // an array of date ranges
};

absl::StatusOr<std::vector<TimeDimensionInput>> ParseTimeDimensions(
    const boost::json::value& json);

}  // namespace tessera::query
