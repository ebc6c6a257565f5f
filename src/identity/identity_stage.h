#pragma once
// The "who is asking?" stage of the pipeline. It turns a request into a
// Principal whose security context later stages (policies, the SQL
// compiler's {securityContext.*} parameters) rely on. Issue #3 adds
// verification of signed and encrypted tokens behind this same interface.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "http/http_types.h"

namespace tessera::identity {

struct Principal {
  // Verified claims; an empty object in dev mode.
  boost::json::value security_context = boost::json::object();
  bool authenticated = false;  // false: dev mode let the request through unchecked
};

class IdentityStage {
 public:
  virtual ~IdentityStage() = default;
  // Unauthenticated -> 403 {"error": ...} (mapped in api/error_response.cc).
  virtual absl::StatusOr<Principal> Identify(const http::Request& request) const = 0;
};

// CUBEJS_DEV_MODE=true: every request is let through with an empty security
// context. The Authorization header is ignored (not decoded: unverified
// claims must never be trusted, even in development).
std::unique_ptr<IdentityStage> MakeDevModeIdentity();

}  // namespace tessera::identity
