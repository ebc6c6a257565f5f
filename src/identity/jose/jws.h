#pragma once
// JSON Web Signature (RFC 7515): parsing, verification with one bound key, and
// signing (for `tessera token` and tests). Verification never takes the
// algorithm from the token: the caller passes the algorithm it has bound to
// the key, and the header's "alg" must equal it.
//
// ECDSA signatures must be the exact P1363 length (r||s, each the curve's
// size) with 0 < r, s < n; HMAC is compared in constant time; Ed25519 via
// EVP_DigestVerify; RSA-PSS with salt length = hash length.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include <boost/json/object.hpp>

#include "identity/jose/algorithms.h"
#include "identity/jose/jwk.h"

namespace tessera::identity::jose {

// Header parameters this implementation understands; a "crit" listing anything
// else (or listing a parameter that is absent, or a registered RFC 7515/7516
// name, or an empty/duplicated list) makes the object invalid (RFC 7515 §4.1.11).
// The b64 extension (RFC 7797) is not supported.
inline constexpr std::size_t kDefaultMaxTokenBytes = 16 * 1024;

struct CompactJws {
  boost::json::object header;   // strict JSON object
  std::string_view header_b64;  // views into the input token
  std::string_view payload_b64;
  std::string payload;          // decoded payload bytes
  std::string signature;        // decoded signature bytes
  std::string_view signing_input;  // header_b64 + "." + payload_b64
  Algorithm alg;                // header's "alg" (parsed; "none" and unknown names are errors)
};

// Exactly three base64url segments, a non-empty signature, header a JSON object
// with a string "alg" naming a known signing algorithm, "crit" checked, size
// checked before decoding.
absl::StatusOr<CompactJws> ParseCompactJws(std::string_view token,
                                           std::size_t max_bytes = kDefaultMaxTokenBytes);

// Checks `signature` over `signing_input` with `key` for `alg`
// (CheckKeyFitsAlgorithm first). Any failure is an error status.
absl::Status VerifySignature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                             std::string_view signature);

// Parses, checks header "alg" == alg, verifies. Returns the parsed object.
absl::StatusOr<CompactJws> VerifyCompactJws(std::string_view token, Algorithm alg, const Jwk& key,
                                             std::size_t max_bytes = kDefaultMaxTokenBytes);

// JSON serialization (general and flattened, RFC 7515 §7.2) — used only by the
// conformance tests; tokens in Authorization headers are compact only.
// Verifies that at least one signature verifies with (alg, key); returns the payload.
absl::StatusOr<std::string> VerifyJsonJws(std::string_view json, Algorithm alg, const Jwk& key);

// The "crit" rules of RFC 7515 §4.1.11 for a header (and, for the JSON
// serializations, the unprotected header whose names "crit" may also refer
// to): absent, or a non-empty array of distinct strings, none a name
// registered by RFC 7515/7516, each present in the header, and each an
// extension this implementation understands (none is).
absl::Status CheckCriticalHeader(const boost::json::object& protected_header,
                                 const boost::json::object* unprotected_header = nullptr);

// Signs `signing_input` with `private_key` for `alg` (CheckKeyFitsAlgorithm
// first). ECDSA signatures come out in the fixed-length JOSE form (r||s).
absl::StatusOr<std::string> ComputeSignature(Algorithm alg, const Jwk& private_key,
                                             std::string_view signing_input);

// Signs: header gets "alg" (and whatever `extra_header` holds, e.g. kid, typ).
absl::StatusOr<std::string> SignCompactJws(Algorithm alg, const Jwk& private_key,
                                           const boost::json::object& extra_header,
                                           std::string_view payload);

// Signs with an exact, already-encoded protected header (which must be a
// strict JSON object whose "alg" is `alg`), so that reproducible examples
// (RFC 7520) can be compared byte for byte.
absl::StatusOr<std::string> SignCompactJwsWithHeader(Algorithm alg, const Jwk& private_key,
                                                     std::string_view protected_header_b64,
                                                     std::string_view payload);

}  // namespace tessera::identity::jose
