#pragma once
// Verifies one token string against a TokenPolicy: a compact JWS (a signed
// JWT), or a compact JWE — nested around a signed JWT ("cty":"JWT"), or, when
// the key management is symmetric (dir, A*KW, A*GCMKW), alone: only holders
// of the shared key can make such a token, so its encryption authenticates it.
// A JWE for a public key (RSA-OAEP, ECDH-ES) can be made by anyone, so its
// payload must be a JWT signed by one of the signing keys.
//
// The algorithm always comes from the key the policy bound, never from the
// token; the token's "alg" only selects among the configured keys.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include <boost/json/object.hpp>

#include "identity/token_policy.h"

namespace tessera::identity {

struct VerifiedToken {
  boost::json::object claims;
  bool has_exp = false;
  int64_t exp = 0;             // seconds since the epoch (whole seconds, rounded down)
  bool encrypted = false;
  std::string fingerprint;     // hex SHA-256 of the serialized claims
  std::string subject;
  std::string issuer;
  // Names the token in the audit log without revealing it: "jti:<jti>", or
  // "sha256:<first 32 hex digits of the token's SHA-256>" when it has none.
  std::string token_ref;
  // Non-zero when a key from CUBEJS_JWK_URL verified it: the key set's
  // version then. A cached token is verified again once the set has changed,
  // so a key the provider retired stops working for tokens seen before too.
  uint64_t key_set_version = 0;
  const JwksCache* key_set = nullptr;      // the key set that version belongs to
  // The `issuers:` entry whose keys verified it (null: the default keys).
  std::shared_ptr<const IssuerPolicy> issuer_policy;
};

class TokenVerifier {
 public:
  explicit TokenVerifier(TokenPolicy policy);

  // Failures are PermissionDenied with a message for the server log (never the
  // token itself).
  absl::StatusOr<std::shared_ptr<const VerifiedToken>> Verify(std::string_view token,
                                                               int64_t now_seconds) const;

  const TokenPolicy& policy() const { return policy_; }

 private:
  // Sets `out`'s key_set_version, key_set and issuer_policy when a
  // provider's key verified `jws`; returns the payload.
  absl::StatusOr<std::string> VerifySigned(std::string_view jws, VerifiedToken& out) const;
  // The `issuers:` entry named by the (not yet verified) payload's iss; null
  // when it names none of them.
  std::shared_ptr<const IssuerPolicy> IssuerOf(std::string_view payload) const;
  absl::StatusOr<std::string> Decrypt(std::string_view jwe, bool& payload_is_signed_jwt) const;

  TokenPolicy policy_;
};

}  // namespace tessera::identity
