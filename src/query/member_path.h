#pragma once
// Member references in a query: "Cube.member", and in `dimensions` also
// "Cube.timeDim.granularity" (Cube's shorthand for a time dimension).
#include <optional>
#include <string_view>

#include "base/civil_time.h"

namespace tessera::query {

// True for exactly two non-empty [A-Za-z0-9_] parts joined by one dot, the
// rule of Cube's query schema.
bool IsMemberPath(std::string_view path);

struct MemberPathParts {
  std::string_view cube;
  std::string_view member;
};
// Splits a path that IsMemberPath accepts; nullopt otherwise.
std::optional<MemberPathParts> SplitMemberPath(std::string_view path);

// "Orders.createdAt.month" -> {"Orders.createdAt", kMonth}; nullopt when the
// text is not a member path followed by a granularity.
struct DimensionWithGranularity {
  std::string_view dimension;
  Granularity granularity;
};
std::optional<DimensionWithGranularity> SplitGranularitySuffix(std::string_view path);

}  // namespace tessera::query
