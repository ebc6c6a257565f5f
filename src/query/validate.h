#pragma once
// Checks a parsed query against the compiled model: every member exists, is
// of the kind the query uses it as (a measure in `measures`, a time dimension
// in `timeDimensions`, ...), and filter operators fit the member's type.
// Messages follow Cube's: "'nope' not found for path 'Products.nope'",
// "Cube 'Nope' not found for path 'Nope.count'".
#include "absl/status/status.h"

#include "model/compiled_model.h"
#include "query/query.h"

namespace tessera::query {

absl::Status ValidateQuery(const Query& q, const model::CompiledModel& model);

}  // namespace tessera::query
