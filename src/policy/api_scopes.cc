#include "policy/api_scopes.h"

#include "absl/strings/str_cat.h"

namespace tessera::policy {
namespace {

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// "meta, data" -> {meta, data}; unknown names are errors (a typo must not
// silently lock users out or, worse, be read as something else).
absl::StatusOr<std::set<std::string>> ParseScopeList(std::string_view text, std::string_view what) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = Trim(text.substr(start, comma - start));
    if (!item.empty()) {
      if (item != "meta" && item != "data" && item != "sql" && item != "audit") {
        return absl::InvalidArgumentError(absl::StrCat(std::string(what), ": unknown API scope '",
                                                       std::string(item), "' (scopes: meta, data, sql, audit)"));
      }
      // Reading the audit log is granted to named roles only, never to
      // every caller by default.
      if (item == "audit" && what == "CUBEJS_DEFAULT_API_SCOPES") {
        return absl::InvalidArgumentError(
            "CUBEJS_DEFAULT_API_SCOPES: the audit scope is granted per role only (TESSERA_API_SCOPES=auditor:audit)");
      }
      out.insert(std::string(item));
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace

absl::StatusOr<ApiScopes> ApiScopes::Parse(std::string_view defaults, std::string_view per_role) {
  ApiScopes scopes;
  absl::StatusOr<std::set<std::string>> d = ParseScopeList(defaults, "CUBEJS_DEFAULT_API_SCOPES");
  if (!d.ok()) return d.status();
  scopes.defaults_ = *std::move(d);
  size_t start = 0;
  while (start <= per_role.size()) {
    size_t semi = per_role.find(';', start);
    if (semi == std::string_view::npos) semi = per_role.size();
    std::string_view entry = Trim(per_role.substr(start, semi - start));
    start = semi + 1;
    if (entry.empty()) continue;
    size_t colon = entry.find(':');
    std::string_view role = colon == std::string_view::npos ? "" : Trim(entry.substr(0, colon));
    if (role.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("TESSERA_API_SCOPES: '", std::string(entry),
                                                     "' is not role:scope,scope"));
    }
    absl::StatusOr<std::set<std::string>> list = ParseScopeList(entry.substr(colon + 1), "TESSERA_API_SCOPES");
    if (!list.ok()) return list.status();
    if (!scopes.by_role_.emplace(std::string(role), *std::move(list)).second) {
      return absl::InvalidArgumentError(absl::StrCat("TESSERA_API_SCOPES: role '", std::string(role), "' is listed twice"));
    }
  }
  return scopes;
}

absl::Status ApiScopes::Check(const std::set<std::string>& roles, std::string_view scope) const {
  bool listed = false;
  bool allowed = false;
  for (const std::string& role : roles) {
    auto it = by_role_.find(role);
    if (it == by_role_.end()) continue;
    listed = true;
    allowed = allowed || it->second.count(std::string(scope)) > 0;
  }
  if (!listed) allowed = defaults_.count(std::string(scope)) > 0;
  if (allowed) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("API scope is missing: ", std::string(scope)));
}

}  // namespace tessera::policy
