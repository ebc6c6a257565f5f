#pragma once
// Shared helpers for the query tests: a fixed "now", one-call parsing, and
// the message of a failed status.
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

#include "query/normalize.h"
#include "query/parse.h"

namespace tessera::query::testing {

// Friday 2024-03-15 14:30:00 UTC.
inline absl::Time FixedNow() {
  return absl::FromCivil(absl::CivilSecond(2024, 3, 15, 14, 30, 0), absl::UTCTimeZone());
}

inline ParseOptions Options(absl::Time now = FixedNow()) {
  ParseOptions o;
  o.now = now;
  return o;
}

inline absl::StatusOr<Query> Parse(std::string_view json, const ParseOptions& options = Options()) {
  absl::StatusOr<ParsedRequest> r = ParseQueryText(json, options);
  if (!r.ok()) return r.status();
  return r->queries.at(0);
}

// The error message of parsing `json`, or "OK" if it parsed.
inline std::string ParseError(std::string_view json, const ParseOptions& options = Options()) {
  absl::StatusOr<ParsedRequest> r = ParseQueryText(json, options);
  if (r.ok()) return "OK";
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
  return std::string(r.status().message());
}

// The normalised echo of a query, serialised.
inline std::string Echo(std::string_view json, const ParseOptions& options = Options()) {
  absl::StatusOr<Query> q = Parse(json, options);
  if (!q.ok()) return "error: " + std::string(q.status().message());
  return boost::json::serialize(NormalizedJson(*q));
}

}  // namespace tessera::query::testing
