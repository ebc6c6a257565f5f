#pragma once
// A JSON Web Key Set published by an identity provider (its jwks_uri), read
// for verification only. Unlike keys Tessera is configured with, a remote set
// is not ours to fix, so one bad key must not take the others down:
//   - keys of unsupported types, curves or algorithms are skipped;
//   - symmetric ("oct") keys are skipped: an HMAC key that anyone who fetches
//     the set can read would let anyone sign tokens;
//   - private keys are skipped (a provider publishing them is broken);
//   - RSA keys under 2048 bits are skipped;
//   - encryption keys ("use": "enc") are skipped;
//   - a kid used by two different keys drops both: which one a token means
//     would be a guess.
// Every skipped key is named, with its reason, for the server log.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "identity/jose/algorithms.h"
#include "identity/jose/key_set.h"

namespace tessera::identity {

struct RemoteKeySet {
  std::vector<jose::BoundKey> keys;
  std::vector<std::string> skipped;  // "key 2 (kid 'x'): reason"
};

// Errors only when the document is not a JSON object with a "keys" array (or
// is larger than `max_keys` keys); a set whose keys are all skipped is an
// empty RemoteKeySet.
absl::StatusOr<RemoteKeySet> ParseRemoteKeySet(std::string_view json_text, std::span<const jose::Algorithm> allowed,
                                               size_t max_keys = 100);

}  // namespace tessera::identity
