#pragma once
// Which cubes a query joins, from which root, along which declared joins —
// and which cubes' rows those joins multiply.
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "model/compiled_model.h"

namespace tessera::sql {

struct JoinEdge {
  const model::Cube* from = nullptr;  // the cube that declares the join
  const model::Cube* to = nullptr;
  const model::Join* join = nullptr;
};

struct JoinTree {
  const model::Cube* root = nullptr;
  std::vector<JoinEdge> edges;  // in the order the joins are written
};

// Finds, as Cube does, a root among `cubes` (in query order) from which every
// other cube is reachable along declared joins, preferring the tree with the
// fewest joins. Error: "Can't find join path to join 'A', 'B'".
absl::StatusOr<JoinTree> BuildJoinTree(const model::CompiledModel& model,
                                       const std::vector<const model::Cube*>& cubes);

// True when joining `tree` repeats rows of `cube` (it is the "one" side of a
// one_to_many join somewhere reachable in the tree), so its sums and counts
// must be computed over de-duplicated primary keys.
bool IsMultiplied(const model::Cube& cube, const JoinTree& tree);

}  // namespace tessera::sql
