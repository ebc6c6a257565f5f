#pragma once
// The "who is asking?" stage of the pipeline. It turns a request into a
// Principal whose security context later stages (policies, the SQL
// compiler's {securityContext.*} parameters) rely on.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "http/http_types.h"

namespace tessera::identity {

struct Principal {
  // Verified claims; an empty object in dev mode.
  boost::json::value security_context = boost::json::object();
  bool authenticated = false;  // false: dev mode let the request through unchecked
  // Identifies the security context for caches: two principals with the same
  // fingerprint see the same data. Empty in dev mode (one shared namespace).
  std::string cache_fingerprint;
  std::string subject;  // "sub", when the token has one (for logs and audit)
  std::string issuer;   // "iss", when present
  std::string token_ref;  // the token's jti or hash, for the audit log
  // The tenants the token's issuer may speak for (`issuers:` … `tenants:`);
  // null: any.
  std::shared_ptr<const std::vector<std::string>> allowed_tenants;
};

// Whether one source of keys can verify tokens now, for /readyz.
struct KeySourceStatus {
  std::string issuer;  // the issuer, or the CUBEJS_JWK_URL
  bool ready = false;
  std::string problem;  // why not, for the log
};

class IdentityStage {
 public:
  virtual ~IdentityStage() = default;
  // Failures are PermissionDenied statuses whose message is the client-facing
  // text (Cube's: "Authorization header isn't set" / "Invalid token"), mapped
  // to 403 in api/error_response.cc. The real cause goes to the server log.
  virtual absl::StatusOr<Principal> Identify(const http::Request& request) const = 0;
  // The external key sets it depends on (none for secrets and configured keys).
  virtual std::vector<KeySourceStatus> KeySources() const { return {}; }
};

// CUBEJS_DEV_MODE=true: every request is let through with an empty security
// context. The Authorization header is ignored (not decoded: unverified
// claims must never be trusted, even in development).
std::unique_ptr<IdentityStage> MakeDevModeIdentity();

}  // namespace tessera::identity
