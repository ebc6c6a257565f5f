#include "model/member_cycles.h"

#include <algorithm>
#include <map>
#include <queue>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tessera::model {

namespace {

struct MemberNode {
  std::string label;  // "orders.total"
  SourceLocation location;
  std::vector<int> edges;
};

// Roles whose SQL is expanded in place when the owning member is used.
bool ExpandsIntoOwner(TemplateRole role) {
  switch (role) {
    case TemplateRole::kMeasureSql:
    case TemplateRole::kMeasureFilter:
    case TemplateRole::kDimensionSql:
    case TemplateRole::kCaseWhen:
    case TemplateRole::kSegmentSql:
      return true;
    default:
      return false;
  }
}

class MemberGraph {
 public:
  MemberGraph(const std::vector<Cube>& cubes, const std::vector<TemplateUse>& uses) {
    for (const Cube& cube : cubes) {
      for (const Measure& m : cube.measures) Add(cube.name, m.name, m.location);
      for (const Dimension& d : cube.dimensions) Add(cube.name, d.name, d.location);
      for (const Segment& s : cube.segments) Add(cube.name, s.name, s.location);
    }
    for (const TemplateUse& use : uses) {
      if (!ExpandsIntoOwner(use.role)) continue;
      const int from = Find(use.owner_cube, use.owner_member);
      if (from < 0) continue;
      for (const MemberRef& ref : use.refs) {
        const int to = Find(ref.cube, ref.member);
        if (to >= 0) nodes_[from].edges.push_back(to);
      }
    }
  }

  const std::vector<MemberNode>& nodes() const { return nodes_; }

  // Strongly connected components (Tarjan's algorithm, without recursion so
  // that a long chain of references cannot exhaust the stack).
  std::vector<std::vector<int>> Components() const {
    const int n = static_cast<int>(nodes_.size());
    std::vector<int> index(n, -1), low(n, 0);
    std::vector<bool> on_stack(n, false);
    std::vector<int> stack;
    std::vector<std::pair<int, size_t>> calls;
    std::vector<std::vector<int>> components;
    int counter = 0;
    auto visit = [&](int v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      calls.emplace_back(v, 0);
    };
    for (int root = 0; root < n; ++root) {
      if (index[root] >= 0) continue;
      visit(root);
      while (!calls.empty()) {
        const int u = calls.back().first;
        const size_t pos = calls.back().second;
        if (pos < nodes_[u].edges.size()) {
          calls.back().second++;
          const int w = nodes_[u].edges[pos];
          if (index[w] < 0) {
            visit(w);
          } else if (on_stack[w]) {
            low[u] = std::min(low[u], index[w]);
          }
          continue;
        }
        if (low[u] == index[u]) {
          std::vector<int> component;
          int w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            component.push_back(w);
          } while (w != u);
          components.push_back(std::move(component));
        }
        calls.pop_back();
        if (!calls.empty()) {
          const int parent = calls.back().first;
          low[parent] = std::min(low[parent], low[u]);
        }
      }
    }
    return components;
  }

  // A shortest cycle from `start` back to itself inside `component`.
  std::vector<int> CycleThrough(int start, const std::vector<int>& component) const {
    std::map<int, int> parent;  // node -> predecessor on the path from start
    std::queue<int> frontier;
    frontier.push(start);
    parent[start] = -1;
    while (!frontier.empty()) {
      const int u = frontier.front();
      frontier.pop();
      for (int w : nodes_[u].edges) {
        if (w == start) {
          std::vector<int> path{start};
          for (int v = u; v != start; v = parent[v]) path.insert(path.begin() + 1, v);
          path.push_back(start);
          return path;
        }
        const bool inside = std::find(component.begin(), component.end(), w) != component.end();
        if (inside && parent.emplace(w, u).second) frontier.push(w);
      }
    }
    return {};
  }

 private:
  void Add(const std::string& cube, const std::string& member, const SourceLocation& at) {
    ids_.emplace(std::make_pair(cube, member), static_cast<int>(nodes_.size()));
    nodes_.push_back(MemberNode{absl::StrCat(cube, ".", member), at, {}});
  }

  int Find(const std::string& cube, const std::string& member) const {
    auto it = ids_.find(std::make_pair(cube, member));
    return it == ids_.end() ? -1 : it->second;
  }

  std::vector<MemberNode> nodes_;
  std::map<std::pair<std::string, std::string>, int> ids_;
};

}  // namespace

void ReportMemberCycles(const std::vector<Cube>& cubes, const std::vector<TemplateUse>& uses,
                        std::vector<ModelError>* errors) {
  const MemberGraph graph(cubes, uses);
  for (const std::vector<int>& component : graph.Components()) {
    const int start = *std::min_element(component.begin(), component.end());
    std::vector<int> cycle = graph.CycleThrough(start, component);
    if (cycle.empty()) continue;  // a single member that does not refer to itself
    std::vector<std::string> labels;
    for (int id : cycle) labels.push_back(graph.nodes()[id].label);
    const MemberNode& first = graph.nodes()[start];
    errors->push_back(ModelError{first.location, first.label,
                                 absl::StrCat("circular reference: ",
                                              absl::StrJoin(labels, " -> "))});
  }
}

}  // namespace tessera::model
