#pragma once
// JSON -> Query. Every mistake is a UserError (400) with a message a client
// developer can act on.
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include <boost/json/value.hpp>

#include "query/query.h"

namespace tessera::query {

struct ParseOptions {
  absl::Time now;                 // injected so relative date ranges are testable
  int64_t default_limit = 10000;  // CUBEJS_DB_QUERY_DEFAULT_LIMIT
  int64_t max_limit = 50000;      // CUBEJS_DB_QUERY_LIMIT
};

// A request's `query` parameter: one query, or an array of them (Cube's
// queryType "multi").
struct ParsedRequest {
  std::vector<Query> queries;
  bool is_array = false;
  // One query with compareDateRange, expanded into `queries` (one per range).
  bool compare_date_range = false;
};

// Parses the JSON text of the `query` parameter or of a POST body's "query".
absl::StatusOr<ParsedRequest> ParseQueryText(std::string_view json, const ParseOptions& options);
absl::StatusOr<Query> ParseQueryValue(const boost::json::value& value, const ParseOptions& options);
// The already-parsed `query` value of a POST body: one query or an array.
absl::StatusOr<ParsedRequest> ParseRequestValue(const boost::json::value& value,
                                                const ParseOptions& options);

// Resolves a Cube date range value (a string like "last 7 days" or
// "2024-01-01", or a [from, to] pair) in `zone` at instant `now`.
absl::StatusOr<DateRange> ResolveDateRange(const boost::json::value& value,
                                           const absl::TimeZone& zone, absl::Time now);

}  // namespace tessera::query
