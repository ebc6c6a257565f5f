#pragma once
// Reading the security context (verified claims) by dotted path, the way
// policies and `{securityContext.a.b}` templates name it.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

namespace tessera::policy {

// The value at `path` ("a.b"), or nullptr when any step is missing.
const boost::json::value* FindContextValue(const boost::json::value& context, std::string_view path);

// JavaScript-like truthiness: false, null, 0, "" , [] and {} are false.
bool IsTruthy(const boost::json::value* v);

// A claim as filter values: a scalar is one value, an array of scalars is
// several. Missing, null, objects or nested arrays are an error naming the path
// (403 for the request: a policy needs a claim the token does not have).
absl::StatusOr<std::vector<std::string>> ContextValues(const boost::json::value& context,
                                                       std::string_view path);

// The caller's roles: the claim at `path`, a string or an array of strings.
std::set<std::string> RolesOf(const boost::json::value& context, std::string_view path);

}  // namespace tessera::policy
