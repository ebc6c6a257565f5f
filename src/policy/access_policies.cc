#include "policy/access_policies.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>

#include "base/status_macros.h"
#include "policy/context_path.h"

namespace tessera::policy {
namespace {

namespace json = boost::json;

std::pair<std::string_view, std::string_view> SplitMember(std::string_view qualified) {
  size_t dot = qualified.find('.');
  if (dot == std::string_view::npos) return {qualified, ""};
  std::string_view rest = qualified.substr(dot + 1);
  // "Cube.member.granularity" names the member "member".
  size_t second = rest.find('.');
  return {qualified.substr(0, dot), second == std::string_view::npos ? rest : rest.substr(0, second)};
}

absl::Status CompileFilter(const model::Cube& cube, const model::PolicyFilter& f,
                           std::vector<query::FilterOperator>& ops) {
  if (f.kind != model::PolicyFilter::Kind::kLeaf) {
    for (const auto& child : f.children) TESSERA_RETURN_IF_ERROR(CompileFilter(cube, child, ops));
    return absl::OkStatus();
  }
  std::optional<query::FilterOperator> op = query::ParseFilterOperator(f.op);
  if (!op || *op == query::FilterOperator::kMeasureFilter) {
    return absl::InvalidArgumentError(absl::StrCat(f.location.file, ":", f.location.line, ": ", cube.name,
                                                   ": access_policy: unknown filter operator '", f.op, "'"));
  }
  bool needs_values = *op != query::FilterOperator::kSet && *op != query::FilterOperator::kNotSet;
  if (needs_values && f.values.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(f.location.file, ":", f.location.line, ": ", cube.name,
                                                   ": access_policy: operator '", f.op, "' needs values"));
  }
  ops.push_back(*op);
  return absl::OkStatus();
}

// The policy filter with claims substituted, as a query filter.
absl::StatusOr<query::FilterNode> Instantiate(const model::PolicyFilter& f,
                                              const std::vector<query::FilterOperator>& ops, size_t& next_op,
                                              const json::value& context) {
  query::FilterNode node;
  if (f.kind != model::PolicyFilter::Kind::kLeaf) {
    node.kind = f.kind == model::PolicyFilter::Kind::kAnd ? query::FilterNode::Kind::kAnd
                                                         : query::FilterNode::Kind::kOr;
    for (const auto& child : f.children) {
      TESSERA_ASSIGN_OR_RETURN(query::FilterNode c, Instantiate(child, ops, next_op, context));
      node.children.push_back(std::move(c));
    }
    return node;
  }
  node.leaf.member = f.member;
  node.leaf.op = ops[next_op++];
  for (const model::PolicyValue& v : f.values) {
    if (!v.from_context) {
      node.leaf.values.emplace_back(v.text);
      continue;
    }
    TESSERA_ASSIGN_OR_RETURN(std::vector<std::string> values, ContextValues(context, v.text));
    for (std::string& text : values) node.leaf.values.emplace_back(std::move(text));
  }
  return node;
}

// Calls `visit` with the member of every leaf of `filters` (any depth), in
// order, stopping at the first error.
template <typename Visit>
absl::Status ForEachFilterMember(const std::vector<query::FilterNode>& filters, Visit&& visit) {
  for (const query::FilterNode& node : filters) {
    if (node.kind == query::FilterNode::Kind::kLeaf) {
      TESSERA_RETURN_IF_ERROR(visit(node.leaf.member));
    } else {
      TESSERA_RETURN_IF_ERROR(ForEachFilterMember(node.children, visit));
    }
  }
  return absl::OkStatus();
}

// A filter no row satisfies: the cube's first dimension both set and not set.
query::FilterNode NoRows(const model::Cube& cube) {
  query::FilterNode both;
  both.kind = query::FilterNode::Kind::kAnd;
  for (query::FilterOperator op : {query::FilterOperator::kSet, query::FilterOperator::kNotSet}) {
    query::FilterNode leaf;
    leaf.leaf.member = absl::StrCat(cube.name, ".", cube.dimensions.front().name);
    leaf.leaf.op = op;
    both.children.push_back(std::move(leaf));
  }
  return both;
}

std::set<std::string> AllMembers(const model::Cube& cube) {
  std::set<std::string> out;
  for (const auto& m : cube.measures) out.insert(m.name);
  for (const auto& d : cube.dimensions) out.insert(d.name);
  for (const auto& s : cube.segments) out.insert(s.name);
  return out;
}

}  // namespace

const CubeAccess* Access::ForCube(std::string_view cube) const {
  auto it = cubes_.find(cube);
  return it == cubes_.end() ? nullptr : &it->second;
}

bool Access::MemberVisible(std::string_view qualified) const {
  auto [cube, member] = SplitMember(qualified);
  const CubeAccess* access = ForCube(cube);
  return access == nullptr || access->MemberVisible(member);
}

std::vector<std::string> Access::CubesOf(const query::Query& q) {
  std::vector<std::string> cubes;
  auto add = [&](std::string_view member) {
    std::string cube(SplitMember(member).first);
    if (std::find(cubes.begin(), cubes.end(), cube) == cubes.end()) cubes.push_back(std::move(cube));
  };
  for (const auto& m : q.measures) add(m);
  for (const auto& d : q.dimensions) add(d);
  for (const auto& s : q.segments) add(s);
  for (const auto& td : q.time_dimensions) add(td.dimension);
  ForEachFilterMember(q.filters, [&](const std::string& member) {
    add(member);
    return absl::OkStatus();
  }).IgnoreError();
  return cubes;
}

absl::Status Access::CheckQuery(const query::Query& q) const {
  auto check = [&](std::string_view member) -> absl::Status {
    if (MemberVisible(member)) return absl::OkStatus();
    auto [cube, name] = SplitMember(member);
    return absl::PermissionDeniedError(
        absl::StrCat("You requested hidden member: '", std::string(cube), ".", std::string(name), "'"));
  };
  for (const auto& m : q.measures) TESSERA_RETURN_IF_ERROR(check(m));
  for (const auto& d : q.dimensions) TESSERA_RETURN_IF_ERROR(check(d));
  for (const auto& td : q.time_dimensions) TESSERA_RETURN_IF_ERROR(check(td.dimension));
  for (const auto& s : q.segments) TESSERA_RETURN_IF_ERROR(check(s));
  TESSERA_RETURN_IF_ERROR(ForEachFilterMember(q.filters, check));
  if (q.order) {
    for (const auto& o : *q.order) TESSERA_RETURN_IF_ERROR(check(o.member));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Access::AddRowFilters(const std::vector<std::string>& cubes,
                                           std::set<std::string>& filtered, query::Query& q) const {
  bool added = false;
  for (const std::string& cube : cubes) {
    const CubeAccess* access = ForCube(cube);
    if (access == nullptr || access->all_rows || !filtered.insert(cube).second) continue;
    if (!access->row_error.ok()) return access->row_error;
    if (access->row_alternatives.size() == 1) {
      q.filters.push_back(access->row_alternatives.front());
    } else {
      query::FilterNode any;
      any.kind = query::FilterNode::Kind::kOr;
      any.children = access->row_alternatives;
      q.filters.push_back(std::move(any));
    }
    added = true;
  }
  return added;
}

absl::StatusOr<std::shared_ptr<const CompiledPolicies>> CompiledPolicies::Compile(
    const model::CompiledModel& model, std::string roles_claim) {
  auto out = std::make_shared<CompiledPolicies>();
  out->roles_claim_ = std::move(roles_claim);
  for (const model::Cube& cube : model.cubes()) {
    if (cube.access_policies.empty()) continue;
    CubePolicies cp;
    cp.cube = &cube;
    for (const model::AccessPolicy& p : cube.access_policies) {
      CompiledPolicy compiled;
      compiled.source = &p;
      for (const auto& f : p.filters) TESSERA_RETURN_IF_ERROR(CompileFilter(cube, f, compiled.ops));
      bool needs_no_rows = p.has_row_level && !p.allow_all && p.filters.empty();
      if (needs_no_rows && cube.dimensions.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(p.location.file, ":", p.location.line, ": ", cube.name,
                                                       ": access_policy: a cube without dimensions cannot "
                                                       "hide its rows; deny it with member_level instead"));
      }
      cp.policies.push_back(std::move(compiled));
    }
    out->cubes_.push_back(std::move(cp));
  }
  return std::shared_ptr<const CompiledPolicies>(std::move(out));
}

Access CompiledPolicies::Evaluate(const json::value& context) const {
  std::set<std::string> roles = RolesOf(context, roles_claim_);
  Access access;
  for (const CubePolicies& cp : cubes_) {
    CubeAccess ca;
    ca.denied = true;
    bool no_rows_alternative = false;
    std::vector<const CompiledPolicy*> matching;
    for (const CompiledPolicy& policy : cp.policies) {
      const model::AccessPolicy& p = *policy.source;
      bool role_match = std::any_of(p.roles.begin(), p.roles.end(),
                                    [&](const std::string& role) { return role == "*" || roles.count(role) > 0; });
      if (!role_match) continue;
      bool conditions = std::all_of(p.conditions.begin(), p.conditions.end(), [&](const std::string& path) {
        return IsTruthy(FindContextValue(context, path));
      });
      if (conditions) matching.push_back(&policy);
    }
    // Rows first: a policy that allows every row makes the others' filters
    // (and the claims they need) irrelevant.
    for (const CompiledPolicy* policy : matching) {
      const model::AccessPolicy& p = *policy->source;
      if (!p.has_row_level || p.allow_all) ca.all_rows = true;
    }
    for (const CompiledPolicy* matched : matching) {
      const CompiledPolicy& policy = *matched;
      const model::AccessPolicy& p = *policy.source;
      ca.denied = false;
      // Members: the union of what each matching policy shows.
      if (!p.has_member_level || (p.includes_all && !p.excludes_all && p.excludes.empty())) {
        ca.all_members = true;
      } else if (!ca.all_members && !p.excludes_all) {
        std::set<std::string> shown = p.includes_all ? AllMembers(*cp.cube)
                                                     : std::set<std::string>(p.includes.begin(), p.includes.end());
        for (const auto& e : p.excludes) shown.erase(e);
        ca.members.insert(shown.begin(), shown.end());
      }
      // Rows: the union of what each matching policy allows.
      if (ca.all_rows || !ca.row_error.ok()) continue;
      if (p.filters.empty()) {
        no_rows_alternative = true;
        continue;
      }
      query::FilterNode all;
      all.kind = query::FilterNode::Kind::kAnd;
      size_t next_op = 0;
      for (const auto& f : p.filters) {
        absl::StatusOr<query::FilterNode> node = Instantiate(f, policy.ops, next_op, context);
        if (!node.ok()) {
          ca.row_error = node.status();
          break;
        }
        all.children.push_back(*std::move(node));
      }
      if (!ca.row_error.ok()) continue;
      ca.row_alternatives.push_back(all.children.size() == 1 ? std::move(all.children.front()) : std::move(all));
    }
    if (ca.all_members) ca.members.clear();
    if (ca.all_rows) ca.row_alternatives.clear();
    if (!ca.denied && !ca.all_rows && ca.row_alternatives.empty() && no_rows_alternative) {
      ca.row_alternatives.push_back(NoRows(*cp.cube));
    }
    access.cubes_.emplace(cp.cube->name, std::move(ca));
  }
  return access;
}

}  // namespace tessera::policy
