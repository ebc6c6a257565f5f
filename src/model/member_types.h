#pragma once
#include <string_view>
// The spellings of measure types, dimension types and join relationships
// that Cube accepts (snake_case, camelCase and the older Rails-style aliases).
#include <optional>
#include "absl/strings/string_view.h"

#include "model/compiled_model.h"

namespace tessera::model {

std::optional<MeasureType> ParseMeasureType(absl::string_view s);
std::optional<DimensionType> ParseDimensionType(absl::string_view s);
std::optional<Relationship> ParseRelationship(absl::string_view s);

// Cube's name of a dimension type, as /meta and annotations show it ("time").
std::string_view DimensionTypeName(DimensionType t);

// The snake_case name, for messages ("count_distinct").
absl::string_view MeasureTypeName(MeasureType t);

// Every measure type except `count` needs `sql:` (count defaults to COUNT(*)).
bool MeasureNeedsSql(MeasureType t);

// Aggregating types wrap their SQL in an aggregate function, so that SQL may
// not itself refer to other measures (that would nest aggregates).
bool MeasureAggregates(MeasureType t);

}  // namespace tessera::model
