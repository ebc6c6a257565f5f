#pragma once
// API scopes (Cube's contextToApiScopes, declared instead of coded): which
// endpoints a caller may use, by role. /load and /dry-run need "data", /meta
// "meta", /sql "sql". A caller whose roles are not listed gets the default
// scopes (CUBEJS_DEFAULT_API_SCOPES); listed roles get the union of their
// scopes (TESSERA_API_SCOPES, e.g. "admin:meta,data,sql;viewer:meta").
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::policy {

class ApiScopes {
 public:
  static absl::StatusOr<ApiScopes> Parse(std::string_view defaults, std::string_view per_role);

  // 403 "API scope is missing: <scope>" when none of the caller's scopes is `scope`.
  absl::Status Check(const std::set<std::string>& roles, std::string_view scope) const;
  // True when every caller has every scope (the default): the per-request
  // check, which reads the roles claim, can be skipped.
  // (The audit scope is checked on its own, always.)
  bool AllowsEverything() const {
    return by_role_.empty() && defaults_.count("meta") && defaults_.count("data") && defaults_.count("sql");
  }

 private:
  std::set<std::string> defaults_;
  std::map<std::string, std::set<std::string>> by_role_;
};

}  // namespace tessera::policy
