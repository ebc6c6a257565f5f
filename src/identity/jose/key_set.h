#pragma once
// Keys bound to algorithms (RFC 8725 §3.1: "each key is used with exactly one
// algorithm"), and the choice of the key that verifies a given token.
//
// Binding happens once, when keys are configured or fetched:
//   - a JWK with "alg" is bound to it, if the allow-list has it;
//   - otherwise EC keys bind by curve (P-256→ES256, P-384→ES384, P-521→ES512),
//     Ed25519→EdDSA, RSA to the one RS*/PS* algorithm of the allow-list (RS256
//     if it holds none... ambiguous when it holds several: an error naming the key);
//   - a symmetric secret without "alg" (CUBEJS_API_SECRET) binds to each HS*
//     algorithm in the allow-list whose hash size the secret reaches, so the
//     same secret verifies HS256/384/512 like Cube; it never binds to anything
//     but HMAC.
// Keys for encryption (use "enc", key-management "alg") are not signing keys.
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "identity/jose/algorithms.h"
#include "identity/jose/jwk.h"

namespace tessera::identity::jose {

struct BoundKey {
  Algorithm alg;
  Jwk key;
};

struct BindOptions {
  // true: a key that cannot be bound (alg not allowed, unusable type) is an
  // error naming it; false: it is skipped (a provider's key set may hold keys
  // for other purposes).
  bool strict = true;
};

absl::StatusOr<std::vector<BoundKey>> BindSigningKeys(std::span<const Jwk> keys,
                                                      std::span<const Algorithm> allowed,
                                                      const BindOptions& options = {});

// The keys that may verify a token whose header says (alg, kid): same algorithm,
// and same kid when the token names one. kid is compared as an opaque string.
std::vector<const BoundKey*> CandidateKeys(std::span<const BoundKey> keys, Algorithm alg,
                                           std::string_view kid /* empty: none */);

}  // namespace tessera::identity::jose
