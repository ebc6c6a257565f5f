#include "policy/query_rewrite.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>

#include "base/status_macros.h"
#include "base/user_error.h"
#include "policy/context_path.h"

namespace tessera::policy {
namespace {

namespace json = boost::json;

std::string At(const RewriteRule& rule) {
  return absl::StrCat(rule.location.file, ":", rule.location.line, ": query_rewrite rule '", rule.name, "': ");
}

// Whether the client's own filters restrict `member`: a leaf in the top-level
// AND chain (an OR could widen it away) with an operator that narrows, or a
// time dimension with a date range.
bool FiltersOn(const std::vector<query::FilterNode>& filters, const std::string& member) {
  for (const query::FilterNode& node : filters) {
    if (node.kind == query::FilterNode::Kind::kAnd) {
      if (FiltersOn(node.children, member)) return true;
      continue;
    }
    if (node.kind != query::FilterNode::Kind::kLeaf || node.leaf.member != member) continue;
    if (node.leaf.op != query::FilterOperator::kSet && node.leaf.op != query::FilterOperator::kNotSet) return true;
  }
  return false;
}

bool RequirementMet(const query::Query& q, const std::string& member) {
  for (const query::TimeDimension& td : q.time_dimensions) {
    if (td.dimension == member && (td.date_range || !td.compare_date_ranges.empty())) return true;
  }
  return FiltersOn(q.filters, member);
}

}  // namespace

absl::StatusOr<bool> Rewrite::AddFilters(const std::vector<std::string>& cubes, std::set<std::string>& filtered,
                                         query::Query& q) const {
  bool added = false;
  for (const std::string& cube : cubes) {
    auto it = cubes_.find(cube);
    if (it == cubes_.end() || it->second.filters.empty() || !filtered.insert(cube).second) continue;
    if (!it->second.error.ok()) return it->second.error;
    for (const query::FilterNode& f : it->second.filters) q.filters.push_back(f);
    added = true;
  }
  return added;
}

absl::Status Rewrite::CheckRequired(const std::vector<std::string>& cubes, const query::Query& as_received) const {
  for (const std::string& cube : cubes) {
    auto it = cubes_.find(cube);
    if (it == cubes_.end()) continue;
    for (const auto& [member, rule] : it->second.required) {
      if (!RequirementMet(as_received, member)) {
        return UserError(absl::StrCat("Query must filter on '", member, "' (query_rewrite rule '", rule, "')"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const CompiledRewrite>> CompiledRewrite::Compile(
    const std::vector<RewriteRule>& rules, const model::CompiledModel& model, std::string roles_claim) {
  auto out = std::make_shared<CompiledRewrite>();
  out->roles_claim_ = std::move(roles_claim);
  // Own copies: the compiled rules point into them.
  out->sources_ = rules;
  for (const RewriteRule& rule : out->sources_) {
    CompiledRule compiled;
    compiled.source = &rule;
    if (rule.kind == RewriteRule::Kind::kFilter) {
      std::optional<query::FilterOperator> op = query::ParseFilterOperator(rule.op);
      if (!op || *op == query::FilterOperator::kMeasureFilter) {
        return absl::InvalidArgumentError(absl::StrCat(At(rule), "unknown filter operator '", rule.op, "'"));
      }
      bool needs_values = *op != query::FilterOperator::kSet && *op != query::FilterOperator::kNotSet;
      if (needs_values && rule.values.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(At(rule), "operator '", rule.op, "' needs values"));
      }
      if (!needs_values && !rule.values.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(At(rule), "operator '", rule.op, "' takes no values"));
      }
      compiled.op = *op;
    }
    if (!rule.member.empty()) {
      size_t dot = rule.member.find('.');
      const model::Cube* cube = dot == std::string::npos ? nullptr : model.FindCube(rule.member.substr(0, dot));
      if (cube == nullptr || cube->FindDimension(rule.member.substr(dot + 1)) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(At(rule), "'", rule.member, "' is not a dimension of the model"));
      }
      compiled.targets.push_back({cube->name, rule.member});
    } else {
      for (const model::Cube& cube : model.cubes()) {
        if (cube.FindDimension(rule.dimension) != nullptr) {
          compiled.targets.push_back({cube.name, absl::StrCat(cube.name, ".", rule.dimension)});
        }
      }
      if (compiled.targets.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(At(rule), "no cube of the model has a dimension '", rule.dimension, "'"));
      }
    }
    out->rules_.push_back(std::move(compiled));
  }
  return std::shared_ptr<const CompiledRewrite>(std::move(out));
}

Rewrite CompiledRewrite::Evaluate(const json::value& context) const {
  Rewrite out;
  if (rules_.empty()) return out;
  std::set<std::string> roles = RolesOf(context, roles_claim_);
  auto has_any = [&](const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& r) { return r == "*" || roles.count(r) > 0; });
  };
  for (const CompiledRule& compiled : rules_) {
    const RewriteRule& rule = *compiled.source;
    if (!rule.roles.empty() && !has_any(rule.roles)) continue;
    if (has_any(rule.except_roles)) continue;
    bool conditions = std::all_of(rule.conditions.begin(), rule.conditions.end(), [&](const std::string& path) {
      return IsTruthy(FindContextValue(context, path));
    });
    if (!conditions) continue;
    out.applied_.push_back(rule.name);
    if (rule.kind == RewriteRule::Kind::kRequire) {
      for (const Target& t : compiled.targets) out.cubes_[t.cube].required.emplace_back(t.member, rule.name);
      continue;
    }
    // The claim values once per rule; every target cube shares them.
    std::vector<std::optional<std::string>> values;
    absl::Status error;
    for (const model::PolicyValue& v : rule.values) {
      if (!v.from_context) {
        values.emplace_back(v.text);
        continue;
      }
      absl::StatusOr<std::vector<std::string>> claim = ContextValues(context, v.text);
      if (!claim.ok()) {
        error = claim.status();
        break;
      }
      for (std::string& text : *claim) values.emplace_back(std::move(text));
    }
    for (const Target& t : compiled.targets) {
      Rewrite::CubeRules& cube = out.cubes_[t.cube];
      if (!error.ok()) {
        if (cube.error.ok()) cube.error = error;
        // Kept non-empty so AddFilters reaches the error for this cube.
        if (cube.filters.empty()) cube.filters.emplace_back();
        continue;
      }
      query::FilterNode node;
      node.leaf.member = t.member;
      node.leaf.op = compiled.op;
      node.leaf.values = values;
      cube.filters.push_back(std::move(node));
    }
  }
  return out;
}

}  // namespace tessera::policy
