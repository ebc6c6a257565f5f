#pragma once
// Mints API tokens the way `cubejs-cli token` does (HS256 with the API secret,
// iat and exp added, string claims from key=value pairs), and more: other
// algorithms with a private key, and signed-then-encrypted nested tokens.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/object.hpp>

namespace tessera::cli {

struct MintOptions {
  std::string secret;                 // HMAC secret (used when key is empty)
  std::string key;                    // private key text: PEM or JWK
  std::string alg;                    // empty: HS256 for a secret, the key's natural algorithm otherwise
  std::string kid;                    // optional "kid" header
  boost::json::object claims;         // payload members (iat/exp added unless present)
  int64_t expiry_seconds = 30 * 24 * 3600;  // 0: no exp
  int64_t now_seconds = 0;
  std::string encrypt_to;             // recipient public key (PEM/JWK) or shared secret; empty: no JWE
  std::string encrypt_alg;            // empty: by key type (RSA-OAEP-256, ECDH-ES+A256KW, dir/A256KW)
  std::string encrypt_enc = "A256GCM";
};

struct MintedToken {
  std::string token;
  boost::json::object payload;  // as signed (with iat/exp)
};

absl::StatusOr<MintedToken> MintToken(const MintOptions& options);

// "30 days", "1d", "12h", "15 minutes", "3600" (seconds, as jsonwebtoken
// reads a bare number), "0" (no expiry).
absl::StatusOr<int64_t> ParseExpiry(std::string_view text);

// "key=value" -> claims[key] = "value" (strings, as cubejs-cli does).
absl::Status AddPayloadPair(std::string_view pair, boost::json::object& claims);

}  // namespace tessera::cli
