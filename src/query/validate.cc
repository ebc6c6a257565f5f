// Checks a parsed query against the model. Unknown cubes and members get
// Cube's messages; using a member as the wrong kind (a dimension in
// `measures`, a string dimension in `timeDimensions`) gets a message naming
// both kinds, where Cube would only say "not found" or fail later in SQL.
#include "query/validate.h"

#include "model/member_types.h"

#include <string>

#include "base/user_error.h"
#include "query/filter_operator.h"
#include "query/member_path.h"

namespace tessera::query {
namespace {

using model::CompiledModel;
using model::Cube;
using model::Dimension;
using model::DimensionType;
using model::Measure;
using model::Segment;

struct Member {
  const Measure* measure = nullptr;
  const Dimension* dimension = nullptr;
  const Segment* segment = nullptr;
};

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

absl::StatusOr<Member> Lookup(const CompiledModel& model, std::string_view path) {
  std::optional<MemberPathParts> parts = SplitMemberPath(path);
  if (!parts) {
    return UserError("Invalid member path " + Quote(path) + ": expected 'Cube.member'");
  }
  const Cube* cube = model.FindCube(parts->cube);
  if (cube == nullptr) {
    return UserError("Cube " + Quote(parts->cube) + " not found for path " + Quote(path));
  }
  Member m{cube->FindMeasure(parts->member), cube->FindDimension(parts->member),
           cube->FindSegment(parts->member)};
  if (m.measure == nullptr && m.dimension == nullptr && m.segment == nullptr) {
    return UserError(Quote(parts->member) + " not found for path " + Quote(path));
  }
  return m;
}

// "a measure", "a string dimension", "a segment"
std::string KindOf(const Member& m) {
  if (m.measure) return "a measure";
  if (m.dimension) return "a " + std::string(model::DimensionTypeName(m.dimension->type)) + " dimension";
  return "a segment";
}

absl::Status WrongKind(std::string_view path, const Member& m, std::string_view wanted,
                       std::string_view list) {
  return UserError(Quote(path) + " is " + KindOf(m) + ", not " + std::string(wanted) +
                   "; it can't be listed in " + std::string(list));
}

absl::Status CheckFilter(const CompiledModel& model, const FilterNode& node) {
  if (node.kind != FilterNode::Kind::kLeaf) {
    for (const auto& child : node.children) {
      absl::Status s = CheckFilter(model, child);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  const MemberFilter& f = node.leaf;
  absl::StatusOr<Member> m = Lookup(model, f.member);
  if (!m.ok()) return m.status();
  if (!m->measure && !m->dimension) {
    return UserError(Quote(f.member) + " is a segment; list it in segments instead of filtering on it");
  }
  const std::string op = "Operator '" + std::string(FilterOperatorName(f.op)) + "'";
  if (IsDateOperator(f.op) &&
      !(m->dimension && !m->measure && m->dimension->type == DimensionType::kTime)) {
    return UserError(op + " needs a time dimension, but " + Quote(f.member) + " is " + KindOf(*m));
  }
  if (f.op == FilterOperator::kMeasureFilter && !m->measure) {
    return UserError(op + " applies to measures, but " + Quote(f.member) + " is " + KindOf(*m));
  }
  return absl::OkStatus();
}

// As in Cube, members hidden from /meta (public: false, and primary keys by
// default) may be filtered on but not selected.
absl::Status CheckVisible(const std::string& path, const Member& m) {
  bool visible = m.measure ? m.measure->is_public : m.dimension ? m.dimension->is_public : true;
  if (visible) return absl::OkStatus();
  return UserError("You requested hidden member: " + Quote(path) +
                   ". Make it visible with `public: true` (primary keys are hidden by default)");
}

}  // namespace

absl::Status ValidateQuery(const Query& q, const CompiledModel& model) {
  for (const auto& path : q.measures) {
    absl::StatusOr<Member> m = Lookup(model, path);
    if (!m.ok()) return m.status();
    if (!m->measure) return WrongKind(path, *m, "a measure", "measures");
    if (absl::Status s = CheckVisible(path, *m); !s.ok()) return s;
  }
  if (q.ungrouped && !q.measures.empty()) {
    return UserError("Measures aren't allowed in ungrouped query");
  }
  for (const auto& path : q.dimensions) {
    absl::StatusOr<Member> m = Lookup(model, path);
    if (!m.ok()) return m.status();
    if (!m->dimension) return WrongKind(path, *m, "a dimension", "dimensions");
    if (absl::Status s = CheckVisible(path, *m); !s.ok()) return s;
  }
  for (const auto& td : q.time_dimensions) {
    absl::StatusOr<Member> m = Lookup(model, td.dimension);
    if (!m.ok()) return m.status();
    if (!m->dimension || m->dimension->type != DimensionType::kTime) {
      return WrongKind(td.dimension, *m, "a time dimension", "timeDimensions");
    }
    if (absl::Status s = CheckVisible(td.dimension, *m); !s.ok()) return s;
  }
  for (const auto& path : q.segments) {
    absl::StatusOr<Member> m = Lookup(model, path);
    if (!m.ok()) return m.status();
    if (!m->segment) return WrongKind(path, *m, "a segment", "segments");
  }
  for (const auto& f : q.filters) {
    absl::Status s = CheckFilter(model, f);
    if (!s.ok()) return s;
  }
  // Order entries follow Cube: a member the query does not select is ordered
  // by its own expression, and an unknown member is ignored (clients keep
  // stale orders around after removing a member from the query).
  return absl::OkStatus();
}

}  // namespace tessera::query
