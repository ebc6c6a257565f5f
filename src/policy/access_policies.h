#pragma once
// Access policies (`access_policy` on cubes, Cube 1.x semantics), compiled
// once per model and evaluated per request against the verified claims:
//   - a cube without policies is open to everyone;
//   - a cube with policies is usable only by principals matching at least one
//     (by role — "*" matches everyone — and by every `conditions` claim);
//   - matching policies are united: a member is visible when some matching
//     policy shows it; a row when some matching policy allows it;
//   - row filters become query filters whose values are claims, so they reach
//     SQL only as bound parameters, like any filter value.
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

// What one principal may do with one cube that has policies.
struct CubeAccess {
  bool denied = false;                 // no policy matches
  bool all_members = false;
  std::set<std::string> members;       // short names, when !all_members
  bool all_rows = false;
  // When !all_rows: rows matching any of these (each a policy's filters, ANDed).
  std::vector<query::FilterNode> row_alternatives;
  // A claim the row filters need is missing: only queries that read this cube
  // fail (403); the caller's other cubes and /meta are unaffected.
  absl::Status row_error;

  bool MemberVisible(std::string_view short_name) const {
    return !denied && (all_members || members.count(std::string(short_name)) > 0);
  }
};

// One principal's view of the model: access per cube with policies.
class Access {
 public:
  // nullptr: the cube has no policies (open).
  const CubeAccess* ForCube(std::string_view cube) const;
  // "Cube.member" (or "Cube.member.granularity"): false when hidden.
  bool MemberVisible(std::string_view qualified) const;
  // 403 "You requested hidden member: 'X'" for the first hidden member of `q`.
  absl::Status CheckQuery(const query::Query& q) const;
  // Adds the row filters of every policy cube among `cubes` not yet in
  // `filtered` (recording them there). Returns whether anything was added, or
  // the 403 of a cube whose filters need a claim the caller lacks.
  absl::StatusOr<bool> AddRowFilters(const std::vector<std::string>& cubes, std::set<std::string>& filtered,
                                     query::Query& q) const;
  // Every cube `q` names through its members.
  static std::vector<std::string> CubesOf(const query::Query& q);

 private:
  friend class CompiledPolicies;
  std::map<std::string, CubeAccess, std::less<>> cubes_;
};

class CompiledPolicies {
 public:
  // Checks every policy (operators, values) against the model; errors name
  // the file and line. `roles_claim` is a dotted path in the security context.
  static absl::StatusOr<std::shared_ptr<const CompiledPolicies>> Compile(
      const model::CompiledModel& model, std::string roles_claim);

  bool empty() const { return cubes_.empty(); }

  // The principal's access. A claim a row filter needs and the caller lacks
  // fails only the queries that read that cube (see CubeAccess::row_error).
  Access Evaluate(const boost::json::value& security_context) const;

 private:
  struct CompiledPolicy {
    const model::AccessPolicy* source = nullptr;
    std::vector<query::FilterOperator> ops;  // per leaf, in depth-first order
  };
  struct CubePolicies {
    const model::Cube* cube = nullptr;
    std::vector<CompiledPolicy> policies;
  };

  std::string roles_claim_;
  std::vector<CubePolicies> cubes_;
};

}  // namespace tessera::policy
