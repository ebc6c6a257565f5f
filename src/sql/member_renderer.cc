#include "sql/member_renderer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include <boost/json.hpp>

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "sql/aliases.h"

namespace tessera::sql {

using model::MeasureType;
using model::SqlPart;

namespace {
constexpr int kMaxDepth = 32;

// Restores the depth counter on every exit path.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  bool too_deep() const { return depth_ > kMaxDepth; }

 private:
  int& depth_;
};
}  // namespace

MemberRenderer::MemberRenderer(const model::CompiledModel& model, const Dialect& dialect,
                               ParamList& params, const boost::json::value* security_context,
                               bool ungrouped)
    : model_(model),
      dialect_(dialect),
      params_(params),
      context_(security_context),
      ungrouped_(ungrouped) {}

std::string MemberRenderer::CubeAlias(const model::Cube& cube) const {
  return dialect_.QuoteIdentifier(Underscore(cube.name));
}

absl::StatusOr<std::string> MemberRenderer::CubeFrom(const model::Cube& cube) {
  if (!cube.sql_table.empty()) return absl::StrCat(cube.sql_table, " AS ", CubeAlias(cube));
  TESSERA_ASSIGN_OR_RETURN(std::string sql, Template(cube, cube.sql));
  return absl::StrCat("(", sql, ") AS ", CubeAlias(cube));
}

absl::StatusOr<std::string> MemberRenderer::ContextParam(const std::string& path) {
  // A claim reaches SQL only as a bound parameter; a missing one fails the
  // request rather than silently matching an empty string.
  if (context_ == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("The model needs securityContext.", path, " but the request has no security context"));
  }
  const boost::json::value* v = context_;
  for (absl::string_view key : absl::StrSplit(path, '.')) {
    const boost::json::object* obj = v->if_object();
    if (obj == nullptr) { v = nullptr; break; }
    auto it = obj->find(boost::json::string_view(key.data(), key.size()));
    if (it == obj->end()) { v = nullptr; break; }
    v = &it->value();
  }
  if (v == nullptr || v->is_null()) {
    return absl::PermissionDeniedError(absl::StrCat("Security context is missing '", path, "'"));
  }
  if (v->is_string()) return params_.AddText(std::string(v->get_string()));
  if (v->is_int64()) return params_.Add(Param::Type::kInteger, std::to_string(v->get_int64()));
  if (v->is_uint64()) return params_.Add(Param::Type::kInteger, std::to_string(v->get_uint64()));
  if (v->is_double()) return params_.Add(Param::Type::kReal, boost::json::serialize(*v));
  if (v->is_bool()) return params_.Add(Param::Type::kInteger, v->get_bool() ? "1" : "0");
  return absl::PermissionDeniedError(
      absl::StrCat("Security context value '", path, "' is not a scalar"));
}

absl::StatusOr<std::string> MemberRenderer::Template(const model::Cube& cube,
                                                     const model::SqlTemplate& t) {
  DepthGuard guard(depth_);
  if (guard.too_deep()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Member references in cube ", cube.name, " are nested too deeply"));
  }
  std::string out;
  for (const SqlPart& part : t.parts) {
    switch (part.kind) {
      case SqlPart::Kind::kText:
        out += part.text;
        break;
      case SqlPart::Kind::kCubeAlias:
        out += CubeAlias(cube);
        break;
      case SqlPart::Kind::kContextValue: {
        TESSERA_ASSIGN_OR_RETURN(std::string ph, ContextParam(part.text));
        out += ph;
        break;
      }
      case SqlPart::Kind::kMember: {
        const model::Cube* target = part.cube.empty() ? &cube : model_.FindCube(part.cube);
        if (target == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat("Cube '", part.cube, "' not found"));
        }
        if (const auto* d = target->FindDimension(part.member)) {
          TESSERA_ASSIGN_OR_RETURN(std::string s, DimensionSql(*target, *d));
          out += s;
        } else if (const auto* m = target->FindMeasure(part.member)) {
          TESSERA_ASSIGN_OR_RETURN(std::string s, MeasureSql(*target, *m));
          absl::StrAppend(&out, "(", s, ")");
        } else if (const auto* seg = target->FindSegment(part.member)) {
          TESSERA_ASSIGN_OR_RETURN(std::string s, Template(*target, seg->sql));
          absl::StrAppend(&out, "(", s, ")");
        } else if (const model::Cube* other = model_.FindCube(part.member); other && target == &cube) {
          out += CubeAlias(*other);
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat("'", part.member, "' not found for path '", target->name, ".",
                           part.member, "'"));
        }
        break;
      }
    }
  }
  return out;
}

namespace {
void CollectCubes(const model::CompiledModel& model, const model::Cube& cube,
                  const model::SqlTemplate& t, std::set<std::string>& out, int depth) {
  if (depth > kMaxDepth) return;
  for (const SqlPart& part : t.parts) {
    if (part.kind != SqlPart::Kind::kMember) continue;
    const model::Cube* target = part.cube.empty() ? &cube : model.FindCube(part.cube);
    if (target == nullptr) continue;
    if (target != &cube) out.insert(target->name);
    if (const auto* d = target->FindDimension(part.member)) {
      CollectCubes(model, *target, d->sql, out, depth + 1);
      for (const auto& w : d->case_when) CollectCubes(model, *target, w.sql, out, depth + 1);
    } else if (const auto* m = target->FindMeasure(part.member)) {
      CollectCubes(model, *target, m->sql, out, depth + 1);
    } else if (const auto* seg = target->FindSegment(part.member)) {
      CollectCubes(model, *target, seg->sql, out, depth + 1);
    } else if (target == &cube && model.FindCube(part.member)) {
      out.insert(part.member);  // {Users}.id: the alias of another cube
    }
  }
}
}  // namespace

void MemberRenderer::CollectReferencedCubes(const model::Cube& cube, const model::SqlTemplate& t,
                                            std::set<std::string>& out) const {
  CollectCubes(model_, cube, t, out, 0);
}

absl::StatusOr<std::string> MemberRenderer::DimensionSql(const model::Cube& cube,
                                                         const model::Dimension& d) {
  if (d.case_when.empty()) return Template(cube, d.sql);
  // `case:` dimensions: labels are model text, but they are bound like any
  // other value so quoting can never go wrong.
  std::string out = "CASE";
  for (const auto& w : d.case_when) {
    TESSERA_ASSIGN_OR_RETURN(std::string cond, Template(cube, w.sql));
    absl::StrAppend(&out, " WHEN ", cond, " THEN ", params_.AddText(w.label));
  }
  if (d.case_else) absl::StrAppend(&out, " ELSE ", params_.AddText(*d.case_else));
  out += " END";
  return out;
}

absl::StatusOr<std::string> MemberRenderer::PrimaryKeySql(const model::Cube& cube) {
  auto keys = cube.PrimaryKeys();
  if (keys.empty()) return std::string();
  return DimensionSql(cube, *keys.front());
}

absl::StatusOr<std::string> MemberRenderer::MeasureFilterSql(const model::Cube& cube,
                                                              const model::Measure& m) {
  std::vector<std::string> conds;
  for (const auto& f : m.filters) {
    TESSERA_ASSIGN_OR_RETURN(std::string c, Template(cube, f));
    conds.push_back(absl::StrCat("(", c, ")"));
  }
  return absl::StrJoin(conds, " AND ");
}

absl::StatusOr<std::string> MemberRenderer::MeasureSql(const model::Cube& cube,
                                                       const model::Measure& m) {
  DepthGuard guard(depth_);
  if (guard.too_deep()) {
    return absl::InvalidArgumentError(absl::StrCat("Measure ", cube.name, ".", m.name,
                                                   " refers to itself through other measures"));
  }
  TESSERA_ASSIGN_OR_RETURN(std::string filter, MeasureFilterSql(cube, m));
  std::string value;
  if (m.sql.parts.empty()) {
    // Cube counts the primary key when the cube has one, else rows.
    TESSERA_ASSIGN_OR_RETURN(value, PrimaryKeySql(cube));
  } else {
    TESSERA_ASSIGN_OR_RETURN(value, Template(cube, m.sql));
  }
  auto filtered = [&](const std::string& v) {
    if (filter.empty()) return v;
    return absl::StrCat("CASE WHEN ", filter, " THEN ", v.empty() ? "1" : v, " END");
  };
  if (ungrouped_) {
    switch (m.type) {
      case MeasureType::kCount:
        if (!filter.empty()) return absl::StrCat("CASE WHEN ", filter, " THEN 1 END");
        return m.sql.parts.empty() ? std::string("1")
                                   : absl::StrCat("CASE WHEN ", value, " IS NOT NULL THEN 1 END");
      case MeasureType::kCountDistinct:
      case MeasureType::kCountDistinctApprox:
        return absl::StrCat("CASE WHEN ", filtered(value), " IS NOT NULL THEN 1 END");
      default:
        return filtered(value);
    }
  }
  switch (m.type) {
    case MeasureType::kCount:
      if (value.empty()) return filter.empty() ? std::string("count(*)") : absl::StrCat("count(", filtered(value), ")");
      return absl::StrCat("count(", filtered(value), ")");
    case MeasureType::kCountDistinct:
      return absl::StrCat("count(distinct ", filtered(value), ")");
    case MeasureType::kCountDistinctApprox:
      return dialect_.CountDistinctApprox(filtered(value));
    case MeasureType::kSum:
      return absl::StrCat("sum(", filtered(value), ")");
    case MeasureType::kAvg:
      return absl::StrCat("avg(", filtered(value), ")");
    case MeasureType::kMin:
      return absl::StrCat("min(", filtered(value), ")");
    case MeasureType::kMax:
      return absl::StrCat("max(", filtered(value), ")");
    case MeasureType::kNumber:
    case MeasureType::kString:
    case MeasureType::kTime:
    case MeasureType::kBoolean:
      return value;
  }
  return value;
}

}  // namespace tessera::sql
