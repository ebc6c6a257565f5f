#pragma once
// A validated Query + the compiled model -> one SQL statement for a dialect.
//
// The shape follows Cube's: dimensions, then time-dimension buckets, then
// measures; GROUP BY and ORDER BY by position; LIMIT/OFFSET bound. When a
// one_to_many join would repeat a cube's rows, that cube's measures are
// aggregated in a subquery over its de-duplicated primary keys and joined
// back on the dimensions, so sums and counts are never inflated.
#include <cstdint>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "model/compiled_model.h"
#include "query/query.h"
#include "sql/compiled_query.h"
#include "sql/dialect.h"

namespace tessera::sql {

struct CompileOptions {
  // Verified claims of the caller (null in dev mode without a token).
  const boost::json::value* security_context = nullptr;
  int64_t default_limit = 10000;
};

absl::StatusOr<CompiledQuery> CompileQuery(const query::Query& q, const model::CompiledModel& model,
                                           const Dialect& dialect, const CompileOptions& options);

}  // namespace tessera::sql
