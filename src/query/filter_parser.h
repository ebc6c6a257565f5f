#pragma once
// The `filters` array. Two passes, in Cube's order: first the shape (Cube's
// Joi schema: a member filter {member|dimension, operator, values?} or an
// {and: [...]} / {or: [...]} group, nested to any depth), then the values
// (Cube's "Values required" check, and Tessera's arity and date checks).
#include <optional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include <boost/json/value.hpp>

#include "query/query.h"

namespace tessera::query {

// The shape check of one element of `filters`; nullopt when it matches
// neither a member filter nor a group (Cube then names only the top-level
// position: "filters" at position N does not match any of the allowed types).
std::optional<FilterNode> MatchFilter(const boost::json::value& json);

// The value checks of one element that MatchFilter accepted, with `node`
// its result. Date operators' values must parse as dates in `zone`.
absl::Status CheckFilterValues(const boost::json::value& json, const FilterNode& node,
                               const absl::TimeZone& zone);

}  // namespace tessera::query
