#include "sql/join_tree.h"

#include <deque>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tessera::sql {
namespace {

using model::Cube;

// Shortest path of declared joins from `root` to `target` (breadth first,
// joins tried in declaration order so the choice is deterministic).
std::vector<JoinEdge> ShortestPath(const model::CompiledModel& model, const Cube* root,
                                   const Cube* target) {
  std::map<const Cube*, JoinEdge> came_from;
  std::deque<const Cube*> queue{root};
  std::set<const Cube*> seen{root};
  while (!queue.empty()) {
    const Cube* c = queue.front();
    queue.pop_front();
    if (c == target) break;
    for (const model::Join& j : c->joins) {
      const Cube* next = model.FindCube(j.target);
      if (next == nullptr || !seen.insert(next).second) continue;
      came_from[next] = JoinEdge{c, next, &j};
      queue.push_back(next);
    }
  }
  std::vector<JoinEdge> path;
  if (!seen.count(target)) return path;
  for (const Cube* c = target; c != root;) {
    const JoinEdge& e = came_from.at(c);
    path.insert(path.begin(), e);
    c = e.from;
  }
  return path;
}

}  // namespace

absl::StatusOr<JoinTree> BuildJoinTree(const model::CompiledModel& model,
                                       const std::vector<const Cube*>& cubes) {
  if (cubes.empty()) return absl::InvalidArgumentError("Query references no cube");
  std::optional<JoinTree> best;
  for (const Cube* root : cubes) {
    JoinTree tree{root, {}};
    std::set<const Cube*> joined{root};
    bool ok = true;
    for (const Cube* target : cubes) {
      if (joined.count(target)) continue;
      std::vector<JoinEdge> path = ShortestPath(model, root, target);
      if (path.empty()) { ok = false; break; }
      for (const JoinEdge& e : path) {
        if (joined.insert(e.to).second) tree.edges.push_back(e);
      }
    }
    if (ok && (!best || tree.edges.size() < best->edges.size())) best = std::move(tree);
  }
  if (!best) {
    std::vector<std::string> names;
    for (const Cube* c : cubes) names.push_back(absl::StrCat("'", c->name, "'"));
    return absl::InvalidArgumentError(
        absl::StrCat("Can't find join path to join ", absl::StrJoin(names, ", ")));
  }
  return *best;
}

bool IsMultiplied(const Cube& cube, const JoinTree& tree) {
  // Walk the tree outward from `cube`; a join crossed from its "one" side
  // towards a "many" side multiplies it.
  std::set<const Cube*> visited;
  std::vector<const Cube*> stack{&cube};
  while (!stack.empty()) {
    const Cube* current = stack.back();
    stack.pop_back();
    if (!visited.insert(current).second) continue;
    for (const JoinEdge& e : tree.edges) {
      const Cube* next = nullptr;
      bool multiplies = false;
      if (e.from == current) {
        next = e.to;
        multiplies = e.join->relationship == model::Relationship::kOneToMany;
      } else if (e.to == current) {
        next = e.from;
        multiplies = e.join->relationship == model::Relationship::kManyToOne;
      } else {
        continue;
      }
      if (visited.count(next)) continue;
      if (multiplies) return true;
      stack.push_back(next);
    }
  }
  return false;
}

}  // namespace tessera::sql
