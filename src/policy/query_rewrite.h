#pragma once
// Query rewrite rules: the declarative form of Cube's `queryRewrite` (the
// tutorial's `queryTransformer`), read from the `query_rewrite:` section of
// tessera.yaml. Two kinds:
//   - a mandatory filter, added to every query that reads a matching cube
//     (including cubes only the join path reads), with values that may come
//     from claims — e.g. every cube with a `tenant_id` dimension gets
//     `tenant_id = {securityContext.tenant_id}`;
//   - a required filter: a query that reads a matching cube must itself
//     filter on the member, or it is refused (400).
// A rule applies to callers by role (`roles`, `except_roles`) and by claims
// (`if`). Claim values only ever become filter values, hence bound
// parameters; a claim a rule needs and the caller lacks is a 403 for the
// queries that read the cube, never an empty value.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "model/compiled_model.h"
#include "query/query.h"

namespace tessera::policy {

struct RewriteRule {
  enum class Kind { kFilter, kRequire };
  std::string name;                       // unique; named in errors (and audit records)
  Kind kind = Kind::kFilter;
  std::vector<std::string> roles;         // empty: every caller
  std::vector<std::string> except_roles;  // callers with any of these are exempt
  std::vector<std::string> conditions;    // `if`: context paths that must all be truthy
  // The target: `dimension` (a name: every cube with a dimension of that
  // name) or `member` ("Cube.dimension": that cube only).
  std::string dimension;
  std::string member;
  std::string op;                         // kFilter: the REST filter operator
  std::vector<model::PolicyValue> values; // kFilter
  model::SourceLocation location;         // in the config file
};

// Reads the `query_rewrite:` list of a config file's YAML text (absent: no
// rules). Every problem is reported with `label:line`.
absl::StatusOr<std::vector<RewriteRule>> ReadRewriteRules(std::string_view yaml_text, const std::string& label);

// One caller's rules, per cube.
class Rewrite {
 public:
  // Adds the mandatory filters of every cube among `cubes` not yet in
  // `filtered` (recording them there). Returns whether anything was added, or
  // the 403 of a rule that needs a claim the caller lacks.
  absl::StatusOr<bool> AddFilters(const std::vector<std::string>& cubes, std::set<std::string>& filtered,
                                  query::Query& q) const;
  // 400 when `as_received` (the client's query, before any rewrite) reads one
  // of `cubes` and does not filter on a member a rule requires.
  absl::Status CheckRequired(const std::vector<std::string>& cubes, const query::Query& as_received) const;
  // Names of the rules that apply to this caller (for /dry-run and audit).
  const std::vector<std::string>& applied_rules() const { return applied_; }
  bool empty() const { return cubes_.empty(); }

 private:
  friend class CompiledRewrite;
  struct CubeRules {
    std::vector<query::FilterNode> filters;
    absl::Status error;  // a claim a filter needs is missing
    std::vector<std::pair<std::string, std::string>> required;  // member, rule name
  };
  std::map<std::string, CubeRules, std::less<>> cubes_;
  std::vector<std::string> applied_;
};

class CompiledRewrite {
 public:
  // Checks every rule against the model: the member or dimension must exist
  // on some cube (a rule that matches nothing is almost surely a typo, and a
  // tenant filter that applies nowhere is a leak), operators and values must
  // fit. Errors name the config file and line.
  static absl::StatusOr<std::shared_ptr<const CompiledRewrite>> Compile(const std::vector<RewriteRule>& rules,
                                                                        const model::CompiledModel& model,
                                                                        std::string roles_claim);
  bool empty() const { return rules_.empty(); }
  Rewrite Evaluate(const boost::json::value& security_context) const;

 private:
  struct Target {
    std::string cube;
    std::string member;  // qualified
  };
  struct CompiledRule {
    const RewriteRule* source = nullptr;
    query::FilterOperator op = query::FilterOperator::kEquals;
    std::vector<Target> targets;
  };
  std::vector<RewriteRule> sources_;
  std::vector<CompiledRule> rules_;
  std::string roles_claim_;
};

}  // namespace tessera::policy
