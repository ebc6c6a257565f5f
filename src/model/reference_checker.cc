#include "model/reference_checker.h"

#include <map>
#include "absl/strings/string_view.h"

#include "absl/strings/str_cat.h"
#include "model/member_cycles.h"
#include "model/member_types.h"

namespace tessera::model {

std::vector<MemberRef> MemberRefsOf(const SqlTemplate& t) {
  std::vector<MemberRef> refs;
  for (const SqlPart& part : t.parts) {
    if (part.kind == SqlPart::Kind::kMember) refs.push_back(MemberRef{part.cube, part.member});
  }
  return refs;
}

namespace {

absl::string_view RoleName(TemplateRole role) {
  switch (role) {
    case TemplateRole::kCubeSql: return "cube sql";
    case TemplateRole::kRefreshKeySql: return "refresh_key sql";
    case TemplateRole::kJoinSql: return "join sql";
    case TemplateRole::kMeasureSql: return "measure sql";
    case TemplateRole::kMeasureFilter: return "a measure filter";
    case TemplateRole::kDrillMembers: return "drill_members";
    case TemplateRole::kDimensionSql: return "dimension sql";
    case TemplateRole::kCaseWhen: return "a case branch";
    case TemplateRole::kSegmentSql: return "segment sql";
  }
  return "sql";
}

std::string Label(const TemplateUse& use) {
  return use.owner_member.empty() ? use.owner_cube
                                  : absl::StrCat(use.owner_cube, ".", use.owner_member);
}

// Only non-aggregating measures (number, string, ...) and drill lists may name
// a measure: row-level SQL cannot contain an aggregate, and an aggregate of
// an aggregate is not valid SQL.
std::string MeasureRefProblem(const TemplateUse& use, const MemberRef& ref) {
  const std::string target = absl::StrCat(ref.cube, ".", ref.member);
  if (use.role == TemplateRole::kDrillMembers) return "";
  if (use.role == TemplateRole::kMeasureSql) {
    if (!use.measure_type || !MeasureAggregates(*use.measure_type)) return "";
    return absl::StrCat("a measure of type '", MeasureTypeName(*use.measure_type),
                        "' cannot refer to measure '", target,
                        "' (aggregates cannot nest); use type 'number'");
  }
  return absl::StrCat(RoleName(use.role), " cannot refer to measure '", target, "'");
}

void CheckUse(const TemplateUse& use, const std::map<absl::string_view, const Cube*>& by_name,
              std::vector<ModelError>* errors) {
  for (const MemberRef& ref : use.refs) {
    auto add = [&](std::string message) {
      errors->push_back(ModelError{use.location, Label(use), std::move(message)});
    };
    auto cube_it = by_name.find(ref.cube);
    if (cube_it == by_name.end()) {
      add(absl::StrCat("reference to unknown cube '", ref.cube, "'"));
      continue;
    }
    const Cube& cube = *cube_it->second;
    if (cube.FindMeasure(ref.member) != nullptr) {
      std::string problem = MeasureRefProblem(use, ref);
      if (!problem.empty()) add(std::move(problem));
      continue;
    }
    if (cube.FindDimension(ref.member) != nullptr) continue;
    if (cube.FindSegment(ref.member) != nullptr) {
      if (use.role == TemplateRole::kDrillMembers) {
        add(absl::StrCat("drill member '", ref.cube, ".", ref.member, "' is a segment"));
      }
      continue;
    }
    if (ref.cube == use.owner_cube && by_name.count(ref.member) != 0) {
      // Cube's `{Users}.id` form: the alias of another cube (the SQL
      // compiler renders it and joins that cube). A member of the same name
      // in the owning cube would have matched above and wins.
      continue;
    }
    add(absl::StrCat("reference to unknown member '", ref.cube, ".", ref.member, "'"));
  }
}

}  // namespace

void CheckReferences(const std::vector<Cube>& cubes, const std::vector<TemplateUse>& uses,
                     std::vector<ModelError>* errors) {
  std::map<absl::string_view, const Cube*> by_name;
  for (const Cube& cube : cubes) by_name.emplace(cube.name, &cube);

  for (const Cube& cube : cubes) {
    for (const Join& join : cube.joins) {
      if (by_name.count(join.target) == 0) {
        errors->push_back(ModelError{join.location, cube.name,
                                     absl::StrCat("join to unknown cube '", join.target, "'")});
      }
    }
  }
  for (const TemplateUse& use : uses) CheckUse(use, by_name, errors);
  ReportMemberCycles(cubes, uses, errors);
}

}  // namespace tessera::model
