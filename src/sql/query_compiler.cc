#include "sql/query_compiler.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include <boost/json.hpp>

#include "base/status_macros.h"
#include "base/user_error.h"
#include "sql/aliases.h"
#include "sql/filter_renderer.h"
#include "sql/join_tree.h"
#include "sql/member_renderer.h"
#include "sql/param_list.h"

namespace tessera::sql {
namespace {

using model::Cube;
using query::FilterNode;

struct Member {
  const Cube* cube = nullptr;
  const model::Measure* measure = nullptr;
  const model::Dimension* dimension = nullptr;
  const model::Segment* segment = nullptr;
};

absl::StatusOr<Member> Resolve(const model::CompiledModel& model, const std::string& path) {
  size_t dot = path.find('.');
  if (dot == std::string::npos || path.find('.', dot + 1) != std::string::npos) {
    return UserError(absl::StrCat("Invalid member path '", path, "': expected Cube.member"));
  }
  std::string cube_name = path.substr(0, dot), name = path.substr(dot + 1);
  Member m;
  m.cube = model.FindCube(cube_name);
  if (m.cube == nullptr) {
    return UserError(absl::StrCat("Cube '", cube_name, "' not found for path '", path, "'"));
  }
  m.measure = m.cube->FindMeasure(name);
  m.dimension = m.cube->FindDimension(name);
  m.segment = m.cube->FindSegment(name);
  if (!m.measure && !m.dimension && !m.segment) {
    return UserError(absl::StrCat("'", name, "' not found for path '", path, "'"));
  }
  return m;
}

FilterTarget::Type TypeOf(const Member& m) {
  if (m.dimension) {
    switch (m.dimension->type) {
      case model::DimensionType::kNumber: return FilterTarget::Type::kNumber;
      case model::DimensionType::kTime: return FilterTarget::Type::kTime;
      case model::DimensionType::kBoolean: return FilterTarget::Type::kBoolean;
      case model::DimensionType::kString: return FilterTarget::Type::kString;
    }
  }
  if (m.measure) {
    switch (m.measure->type) {
      case model::MeasureType::kString: return FilterTarget::Type::kString;
      case model::MeasureType::kTime: return FilterTarget::Type::kTime;
      case model::MeasureType::kBoolean: return FilterTarget::Type::kBoolean;
      default: return FilterTarget::Type::kNumber;
    }
  }
  return FilterTarget::Type::kString;
}

// A selected (or hidden, filter-only) measure and where it is computed.
struct MeasureSlot {
  std::string member;
  Member m;
  std::string alias;
  bool selected = true;
  int group = 0;  // 0: the regular group; k>0: the de-duplicated group of a multiplied cube
};

boost::json::value FilterJson(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kLeaf) {
    boost::json::array values;
    for (const auto& v : node.leaf.values) {
      if (v) values.emplace_back(boost::json::string(*v)); else values.emplace_back(nullptr);
    }
    boost::json::object o;
    o["member"] = node.leaf.member;
    o["operator"] = std::string(query::FilterOperatorName(node.leaf.op));
    if (!values.empty()) o["values"] = std::move(values);
    return o;
  }
  boost::json::array children;
  for (const auto& c : node.children) children.push_back(FilterJson(c));
  return boost::json::object{{node.kind == FilterNode::Kind::kAnd ? "and" : "or", std::move(children)}};
}

struct DimensionSlot {
  OutputColumn column;
  std::string expr;
};

class Compiler {
 public:
  Compiler(const query::Query& q, const model::CompiledModel& model, const Dialect& dialect,
           const CompileOptions& options, const absl::TimeZone& zone)
      : q_(q),
        model_(model),
        dialect_(dialect),
        options_(options),
        params_(dialect),
        renderer_(model, dialect, params_, options.security_context, q.ungrouped),
        filters_(dialect, params_, zone) {}

  absl::StatusOr<CompiledQuery> Run();

 private:
  absl::Status AddCube(const Cube* cube);
  absl::Status CollectCubes();
  absl::Status BuildSelect();
  absl::StatusOr<std::string> RenderFilter(const FilterNode& node, bool measures);
  absl::StatusOr<bool> IsMeasureFilter(const FilterNode& node);
  absl::Status BuildWhere();
  absl::StatusOr<std::string> FromClause();
  std::string OrderAndLimit(std::vector<std::pair<std::string, std::string>>& order_out,
                            bool order_by_expression);
  absl::StatusOr<std::string> SimpleQuery();
  absl::StatusOr<std::string> MultipliedQuery();
  std::string Q(std::string_view id) const { return dialect_.QuoteIdentifier(id); }
  std::string GroupBy(size_t n) const;

  const query::Query& q_;
  const model::CompiledModel& model_;
  const Dialect& dialect_;
  const CompileOptions& options_;
  ParamList params_;
  MemberRenderer renderer_;
  FilterRenderer filters_;

  std::vector<const Cube*> cubes_;
  JoinTree tree_;
  std::vector<DimensionSlot> dims_;
  std::vector<MeasureSlot> measures_;
  std::vector<std::string> where_;         // dimension-level conditions
  std::vector<const FilterNode*> having_;  // measure-level filter trees
  std::map<const Cube*, int> multiplied_group_;
};

absl::Status Compiler::AddCube(const Cube* cube) {
  for (const Cube* c : cubes_) {
    if (c == cube) return absl::OkStatus();
  }
  cubes_.push_back(cube);
  return absl::OkStatus();
}

absl::Status Compiler::CollectCubes() {
  std::vector<std::string> paths;
  for (const auto& p : q_.measures) paths.push_back(p);
  for (const auto& p : q_.dimensions) paths.push_back(p);
  for (const auto& td : q_.time_dimensions) paths.push_back(td.dimension);
  for (const auto& p : q_.segments) paths.push_back(p);
  std::vector<const FilterNode*> stack;
  for (const auto& f : q_.filters) stack.push_back(&f);
  while (!stack.empty()) {
    const FilterNode* n = stack.back();
    stack.pop_back();
    if (n->kind == FilterNode::Kind::kLeaf) paths.push_back(n->leaf.member);
    for (const auto& c : n->children) stack.push_back(&c);
  }
  for (const auto& p : paths) {
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, p));
    TESSERA_RETURN_IF_ERROR(AddCube(m.cube));
    std::set<std::string> refs;
    if (m.measure) renderer_.CollectReferencedCubes(*m.cube, m.measure->sql, refs);
    if (m.dimension) {
      renderer_.CollectReferencedCubes(*m.cube, m.dimension->sql, refs);
      for (const auto& w : m.dimension->case_when) renderer_.CollectReferencedCubes(*m.cube, w.sql, refs);
    }
    if (m.segment) renderer_.CollectReferencedCubes(*m.cube, m.segment->sql, refs);
    for (const auto& name : refs) {
      if (const Cube* c = model_.FindCube(name)) TESSERA_RETURN_IF_ERROR(AddCube(c));
    }
  }
  TESSERA_ASSIGN_OR_RETURN(tree_, BuildJoinTree(model_, cubes_));
  return absl::OkStatus();
}

absl::Status Compiler::BuildSelect() {
  for (const auto& path : q_.dimensions) {
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, path));
    if (!m.dimension) return UserError(absl::StrCat("'", path, "' is not a dimension"));
    DimensionSlot slot;
    slot.column.kind = OutputColumn::Kind::kDimension;
    slot.column.member = path;
    slot.column.alias = MemberAlias(m.cube->name, m.dimension->name);
    slot.column.cube = m.cube;
    slot.column.dimension = m.dimension;
    TESSERA_ASSIGN_OR_RETURN(slot.expr, renderer_.DimensionSql(*m.cube, *m.dimension));
    dims_.push_back(std::move(slot));
  }
  for (const auto& td : q_.time_dimensions) {
    if (!td.granularity) continue;
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, td.dimension));
    if (!m.dimension) return UserError(absl::StrCat("'", td.dimension, "' is not a dimension"));
    DimensionSlot slot;
    slot.column.kind = OutputColumn::Kind::kTimeDimension;
    slot.column.member = td.dimension;
    slot.column.granularity = td.granularity;
    slot.column.alias = absl::StrCat(MemberAlias(m.cube->name, m.dimension->name), "_",
                                     std::string(GranularityName(*td.granularity)));
    slot.column.cube = m.cube;
    slot.column.dimension = m.dimension;
    TESSERA_ASSIGN_OR_RETURN(std::string raw, renderer_.DimensionSql(*m.cube, *m.dimension));
    std::string tz = params_.AddText(q_.timezone);
    slot.expr = dialect_.TimeBucket(raw, *td.granularity, tz);
    dims_.push_back(std::move(slot));
  }
  for (const auto& path : q_.measures) {
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, path));
    if (!m.measure) return UserError(absl::StrCat("'", path, "' is not a measure"));
    measures_.push_back(MeasureSlot{path, m, MemberAlias(m.cube->name, m.measure->name), true, 0});
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Compiler::IsMeasureFilter(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kLeaf) {
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, node.leaf.member));
    return m.measure != nullptr && node.leaf.op != query::FilterOperator::kMeasureFilter;
  }
  std::optional<bool> kind;
  for (const auto& c : node.children) {
    TESSERA_ASSIGN_OR_RETURN(bool is_measure, IsMeasureFilter(c));
    if (kind && *kind != is_measure) {
      // Cube's message, with the group as the client wrote it.
      return UserError(absl::StrCat("You cannot use dimension and measure in same condition: ",
                                    boost::json::serialize(FilterJson(node))));
    }
    kind = is_measure;
  }
  return kind.value_or(false);
}

absl::StatusOr<std::string> Compiler::RenderFilter(const FilterNode& node, bool measures) {
  if (node.kind != FilterNode::Kind::kLeaf) {
    std::vector<std::string> parts;
    for (const auto& c : node.children) {
      TESSERA_ASSIGN_OR_RETURN(std::string s, RenderFilter(c, measures));
      parts.push_back(absl::StrCat("(", s, ")"));
    }
    if (parts.empty()) return std::string(node.kind == FilterNode::Kind::kAnd ? "1 = 1" : "1 = 0");
    return absl::StrJoin(parts, node.kind == FilterNode::Kind::kAnd ? " AND " : " OR ");
  }
  const query::MemberFilter& f = node.leaf;
  TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, f.member));
  if (m.segment) return UserError(absl::StrCat("'", f.member, "' is a segment and cannot be filtered"));
  if (f.op == query::FilterOperator::kMeasureFilter) {
    if (!m.measure) return UserError(absl::StrCat("measureFilter needs a measure, got '", f.member, "'"));
    TESSERA_ASSIGN_OR_RETURN(std::string cond, renderer_.MeasureFilterSql(*m.cube, *m.measure));
    return cond.empty() ? std::string("1 = 1") : cond;
  }
  FilterTarget target;
  target.type = TypeOf(m);
  if (m.dimension) {
    TESSERA_ASSIGN_OR_RETURN(target.sql, renderer_.DimensionSql(*m.cube, *m.dimension));
  } else if (!measures || q_.ungrouped) {
    TESSERA_ASSIGN_OR_RETURN(target.sql, renderer_.MeasureSql(*m.cube, *m.measure));
  } else {
    // HAVING over the measure's column (hidden if not selected).
    auto it = std::find_if(measures_.begin(), measures_.end(),
                           [&](const MeasureSlot& s) { return s.member == f.member; });
    if (it == measures_.end()) {
      measures_.push_back(MeasureSlot{f.member, m, MemberAlias(m.cube->name, m.measure->name), false, 0});
      it = measures_.end() - 1;
    }
    target.sql = absl::StrCat("\x01", it->member, "\x01");  // resolved when the query shape is known
  }
  return filters_.Render(f, target);
}

absl::Status Compiler::BuildWhere() {
  for (const auto& path : q_.segments) {
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, path));
    if (!m.segment) return UserError(absl::StrCat("'", path, "' is not a segment"));
    TESSERA_ASSIGN_OR_RETURN(std::string s, renderer_.Template(*m.cube, m.segment->sql));
    where_.push_back(s);
  }
  for (const auto& td : q_.time_dimensions) {
    if (!td.date_range) continue;
    TESSERA_ASSIGN_OR_RETURN(Member m, Resolve(model_, td.dimension));
    if (!m.dimension) return UserError(absl::StrCat("'", td.dimension, "' is not a dimension"));
    TESSERA_ASSIGN_OR_RETURN(std::string raw, renderer_.DimensionSql(*m.cube, *m.dimension));
    where_.push_back(filters_.DateRange(raw, td.date_range->from, td.date_range->to));
  }
  for (const auto& f : q_.filters) {
    TESSERA_ASSIGN_OR_RETURN(bool is_measure, IsMeasureFilter(f));
    if (is_measure && !q_.ungrouped) {
      having_.push_back(&f);
    } else {
      TESSERA_ASSIGN_OR_RETURN(std::string s, RenderFilter(f, false));
      where_.push_back(s);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Compiler::FromClause() {
  TESSERA_ASSIGN_OR_RETURN(std::string from, renderer_.CubeFrom(*tree_.root));
  for (const JoinEdge& e : tree_.edges) {
    TESSERA_ASSIGN_OR_RETURN(std::string to, renderer_.CubeFrom(*e.to));
    TESSERA_ASSIGN_OR_RETURN(std::string on, renderer_.Template(*e.from, e.join->sql));
    absl::StrAppend(&from, "\n  LEFT JOIN ", to, " ON ", on);
  }
  return from;
}

std::string Compiler::GroupBy(size_t n) const {
  std::vector<std::string> pos;
  for (size_t i = 1; i <= n; ++i) pos.push_back(std::to_string(i));
  return absl::StrJoin(pos, ", ");
}

std::string Compiler::OrderAndLimit(std::vector<std::pair<std::string, std::string>>& order_out,
                                    bool order_by_expression) {
  std::vector<query::OrderItem> items;
  if (q_.order) {
    items = *q_.order;
  } else if (auto td = std::find_if(q_.time_dimensions.begin(), q_.time_dimensions.end(),
                                    [](const auto& t) { return t.granularity.has_value(); });
             td != q_.time_dimensions.end()) {
    items.push_back({td->dimension, false});
  } else if (!q_.measures.empty() && !q_.dimensions.empty()) {
    items.push_back({q_.measures.front(), true});
  } else if (!q_.dimensions.empty()) {
    items.push_back({q_.dimensions.front(), false});
  }
  std::vector<std::string> terms;
  std::set<size_t> used;
  for (const auto& item : items) {
    size_t pos = 0;
    for (size_t i = 0; i < dims_.size() && !pos; ++i) {
      if (dims_[i].column.member == item.member) pos = i + 1;
    }
    size_t mi = 0;
    for (size_t i = 0; i < measures_.size() && !pos; ++i) {
      if (!measures_[i].selected) continue;
      ++mi;
      if (measures_[i].member == item.member) pos = dims_.size() + mi;
    }
    // NULLS placement made explicit so SQLite sorts like PostgreSQL.
    const char* dir = item.desc ? " DESC NULLS FIRST" : " ASC NULLS LAST";
    if (pos) {
      if (!used.insert(pos).second) continue;
      terms.push_back(absl::StrCat(pos, dir));
      order_out.emplace_back(item.member, item.desc ? "desc" : "asc");
      continue;
    }
    // A member the query does not select: Cube orders by its expression
    // (in a plain grouped query), and ignores members it cannot resolve.
    if (!order_by_expression) continue;
    absl::StatusOr<Member> m = Resolve(model_, item.member);
    if (!m.ok()) continue;
    absl::StatusOr<std::string> expr;
    if (m->measure && !q_.ungrouped) {
      expr = renderer_.MeasureSql(*m->cube, *m->measure);
    } else if (m->dimension && (q_.ungrouped || (measures_.empty() && dims_.empty()))) {
      expr = renderer_.DimensionSql(*m->cube, *m->dimension);
    }
    if (!expr.ok() || expr->empty()) continue;
    terms.push_back(absl::StrCat(*expr, dir));
    order_out.emplace_back(item.member, item.desc ? "desc" : "asc");
  }
  std::string out;
  if (!terms.empty()) absl::StrAppend(&out, "\nORDER BY ", absl::StrJoin(terms, ", "));
  return out;
}

absl::StatusOr<std::string> Compiler::SimpleQuery() {
  std::vector<std::string> select;
  for (const auto& d : dims_) select.push_back(absl::StrCat(d.expr, " ", Q(d.column.alias)));
  for (const auto& m : measures_) {
    TESSERA_ASSIGN_OR_RETURN(std::string s, renderer_.MeasureSql(*m.m.cube, *m.m.measure));
    if (m.selected) select.push_back(absl::StrCat(s, " ", Q(m.alias)));
  }
  TESSERA_ASSIGN_OR_RETURN(std::string from, FromClause());
  std::string sql = absl::StrCat("SELECT\n  ", absl::StrJoin(select, ",\n  "), "\nFROM\n  ", from);
  if (!where_.empty()) {
    std::vector<std::string> w;
    for (const auto& c : where_) w.push_back(absl::StrCat("(", c, ")"));
    absl::StrAppend(&sql, "\nWHERE ", absl::StrJoin(w, " AND "));
  }
  // Cube groups by the dimensions even without measures (distinct values).
  if (!q_.ungrouped && !dims_.empty()) {
    absl::StrAppend(&sql, "\nGROUP BY ", GroupBy(dims_.size()));
  }
  if (!having_.empty()) {
    std::vector<std::string> h;
    for (const FilterNode* f : having_) {
      TESSERA_ASSIGN_OR_RETURN(std::string s, RenderFilter(*f, true));
      h.push_back(absl::StrCat("(", s, ")"));
    }
    std::string having = absl::StrJoin(h, " AND ");
    // Hidden-measure markers become the aggregate itself.
    for (const auto& m : measures_) {
      TESSERA_ASSIGN_OR_RETURN(std::string s, renderer_.MeasureSql(*m.m.cube, *m.m.measure));
      absl::StrReplaceAll({{absl::StrCat("\x01", m.member, "\x01"), s}}, &having);
    }
    absl::StrAppend(&sql, "\nHAVING ", having);
  }
  return sql;
}

absl::StatusOr<std::string> Compiler::MultipliedQuery() {
  // Groups: 0 = measures of cubes the joins do not multiply; one group per
  // multiplied cube, aggregated over its distinct primary keys.
  TESSERA_ASSIGN_OR_RETURN(std::string from, FromClause());
  std::string where;
  if (!where_.empty()) {
    std::vector<std::string> w;
    for (const auto& c : where_) w.push_back(absl::StrCat("(", c, ")"));
    where = absl::StrCat("\nWHERE ", absl::StrJoin(w, " AND "));
  }
  // Filters on measures are rendered first so hidden measures get slots.
  std::vector<std::string> having;
  for (const FilterNode* f : having_) {
    TESSERA_ASSIGN_OR_RETURN(std::string s, RenderFilter(*f, true));
    having.push_back(absl::StrCat("(", s, ")"));
  }
  std::map<int, std::vector<MeasureSlot*>> groups;
  for (auto& m : measures_) {
    if (IsMultiplied(*m.m.cube, tree_) && !m.m.cube->PrimaryKeys().empty()) {
      auto [it, added] = multiplied_group_.emplace(m.m.cube, static_cast<int>(multiplied_group_.size()) + 1);
      m.group = it->second;
    }
    groups[m.group].push_back(&m);
  }
  std::vector<std::string> subqueries;
  std::vector<std::string> dim_aliases;
  for (const auto& d : dims_) dim_aliases.push_back(Q(d.column.alias));
  for (auto& [group, slots] : groups) {
    std::vector<std::string> select;
    for (const auto& d : dims_) select.push_back(absl::StrCat(d.expr, " ", Q(d.column.alias)));
    if (group == 0) {
      for (MeasureSlot* m : slots) {
        TESSERA_ASSIGN_OR_RETURN(std::string s, renderer_.MeasureSql(*m->m.cube, *m->m.measure));
        select.push_back(absl::StrCat(s, " ", Q(m->alias)));
      }
      std::string sub = absl::StrCat("SELECT\n  ", absl::StrJoin(select, ",\n  "), "\nFROM\n  ", from, where);
      if (!dims_.empty()) absl::StrAppend(&sub, "\nGROUP BY ", GroupBy(dims_.size()));
      subqueries.push_back(sub);
      continue;
    }
    const Cube* cube = slots.front()->m.cube;
    TESSERA_ASSIGN_OR_RETURN(std::string pk, renderer_.DimensionSql(*cube, *cube->PrimaryKeys().front()));
    std::string keys_select = absl::StrJoin(select, ",\n  ");
    if (!keys_select.empty()) keys_select += ",\n  ";
    std::string keys = absl::StrCat("SELECT DISTINCT\n  ", keys_select, pk, " ", Q("pk__key"),
                                    "\nFROM\n  ", from, where);
    std::vector<std::string> outer;
    for (const auto& a : dim_aliases) outer.push_back(absl::StrCat(Q("keys"), ".", a));
    for (MeasureSlot* m : slots) {
      TESSERA_ASSIGN_OR_RETURN(std::string s, renderer_.MeasureSql(*m->m.cube, *m->m.measure));
      outer.push_back(absl::StrCat(s, " ", Q(m->alias)));
    }
    TESSERA_ASSIGN_OR_RETURN(std::string cube_from, renderer_.CubeFrom(*cube));
    std::string sub = absl::StrCat("SELECT\n  ", absl::StrJoin(outer, ",\n  "), "\nFROM (\n", keys,
                                   "\n) AS ", Q("keys"), "\n  LEFT JOIN ", cube_from, " ON ",
                                   Q("keys"), ".", Q("pk__key"), " = ", pk);
    if (!dims_.empty()) absl::StrAppend(&sub, "\nGROUP BY ", GroupBy(dims_.size()));
    subqueries.push_back(sub);
  }
  // Join the groups on the dimensions (NULL-safe).
  std::vector<std::string> select;
  for (const auto& a : dim_aliases) select.push_back(absl::StrCat(Q("q_0"), ".", a));
  std::map<std::string, std::string> measure_ref;
  int gi = 0;
  for (auto& [group, slots] : groups) {
    for (MeasureSlot* m : slots) {
      measure_ref[m->member] = absl::StrCat(Q(absl::StrCat("q_", gi)), ".", Q(m->alias));
    }
    ++gi;
  }
  for (const auto& m : measures_) {
    if (m.selected) select.push_back(absl::StrCat(measure_ref[m.member], " ", Q(m.alias)));
  }
  std::string sql = absl::StrCat("SELECT\n  ", absl::StrJoin(select, ",\n  "), "\nFROM (\n",
                                 subqueries[0], "\n) AS ", Q("q_0"));
  for (size_t i = 1; i < subqueries.size(); ++i) {
    std::string qi = Q(absl::StrCat("q_", i));
    if (dim_aliases.empty()) {
      absl::StrAppend(&sql, "\nCROSS JOIN (\n", subqueries[i], "\n) AS ", qi);
      continue;
    }
    std::vector<std::string> on;
    for (const auto& a : dim_aliases) {
      std::string l = absl::StrCat(Q("q_0"), ".", a), r = absl::StrCat(qi, ".", a);
      on.push_back(absl::StrCat("(", l, " = ", r, " OR (", l, " IS NULL AND ", r, " IS NULL))"));
    }
    absl::StrAppend(&sql, "\nINNER JOIN (\n", subqueries[i], "\n) AS ", qi, " ON ",
                    absl::StrJoin(on, " AND "));
  }
  if (!having.empty()) {
    std::string h = absl::StrJoin(having, " AND ");
    for (const auto& [member, ref] : measure_ref) {
      absl::StrReplaceAll({{absl::StrCat("\x01", member, "\x01"), ref}}, &h);
    }
    absl::StrAppend(&sql, "\nWHERE ", h);
  }
  return sql;
}

absl::StatusOr<CompiledQuery> Compiler::Run() {
  TESSERA_RETURN_IF_ERROR(CollectCubes());
  TESSERA_RETURN_IF_ERROR(BuildSelect());
  TESSERA_RETURN_IF_ERROR(BuildWhere());

  bool multiplied = false;
  if (!q_.ungrouped) {
    auto check = [&](const Cube& cube) {
      if (IsMultiplied(cube, tree_) && !cube.PrimaryKeys().empty()) multiplied = true;
    };
    for (const auto& m : measures_) check(*m.m.cube);
    // Measures that appear only in filters (HAVING) count too: they must be
    // aggregated over de-duplicated rows like selected ones.
    std::vector<const FilterNode*> stack(having_.begin(), having_.end());
    while (!stack.empty()) {
      const FilterNode* n = stack.back();
      stack.pop_back();
      for (const auto& c : n->children) stack.push_back(&c);
      if (n->kind != FilterNode::Kind::kLeaf) continue;
      absl::StatusOr<Member> m = Resolve(model_, n->leaf.member);
      if (m.ok() && m->measure) check(*m->cube);
    }
  }
  CompiledQuery out;
  out.has_multiplied_measures = multiplied;
  if (tree_.root != nullptr) out.cubes.push_back(tree_.root->name);
  for (const auto& edge : tree_.edges) out.cubes.push_back(edge.to->name);
  std::string body;
  if (multiplied) {
    TESSERA_ASSIGN_OR_RETURN(body, MultipliedQuery());
  } else {
    TESSERA_ASSIGN_OR_RETURN(body, SimpleQuery());
  }
  if (q_.total) {
    out.total_sql = absl::StrCat("SELECT count(*) ", Q("total_count"), " FROM (\n", body, "\n) AS ",
                                 Q("original_query"));
    out.total_params = params_.params();
  }
  std::string sql = body + OrderAndLimit(out.order, !multiplied);
  int64_t limit = q_.limit.value_or(options_.default_limit);
  absl::StrAppend(&sql, "\nLIMIT ", params_.Add(Param::Type::kInteger, std::to_string(limit)));
  if (q_.offset > 0) {
    absl::StrAppend(&sql, "\nOFFSET ", params_.Add(Param::Type::kInteger, std::to_string(q_.offset)));
  }
  out.sql = std::move(sql);
  out.params = params_.params();
  for (const auto& d : dims_) out.columns.push_back(d.column);
  for (const auto& m : measures_) {
    if (!m.selected) continue;
    OutputColumn c;
    c.kind = OutputColumn::Kind::kMeasure;
    c.member = m.member;
    c.alias = m.alias;
    c.cube = m.m.cube;
    c.measure = m.m.measure;
    out.columns.push_back(std::move(c));
  }
  return out;
}

}  // namespace

absl::StatusOr<CompiledQuery> CompileQuery(const query::Query& q, const model::CompiledModel& model,
                                           const Dialect& dialect, const CompileOptions& options) {
  absl::StatusOr<absl::TimeZone> zone = LoadZone(q.timezone);
  if (!zone.ok()) return UserError(std::string(zone.status().message()));
  Compiler compiler(q, model, dialect, options, *zone);
  return compiler.Run();
}

}  // namespace tessera::sql
