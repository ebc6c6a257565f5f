// Feeds arbitrary bytes to the token verifier as one token (compact JWS or
// JWE), and to the JOSE parsers underneath it: the compact JWS parser, the
// strict JSON parser and — when the input is a JSON object — the JWK importer.
// None may crash, hang, leak or let an exception escape; errors are values.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <boost/json/object.hpp>

#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/jose/strict_json.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"

namespace {

using tessera::identity::TokenPolicy;
using tessera::identity::TokenSettings;
using tessera::identity::TokenVerifier;

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier = [] {
    TokenSettings settings;
    settings.api_secret = "fuzz-api-secret-0123456789abcdef";    // 32 bytes: HS256
    settings.jwe_key = "fuzz-jwe-secret-0123456789ABCDEF";       // 32 bytes
    settings.jwe_algs = "dir,A256KW";
    settings.jwe_encs = "A256GCM,A128CBC-HS256";
    absl::StatusOr<TokenPolicy> policy = tessera::identity::BuildTokenPolicy(settings);
    if (!policy.ok()) __builtin_trap();
    return new TokenVerifier(*std::move(policy));
  }();
  return *verifier;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr int64_t kNow = 1'700'000'000;

  auto verified = Verifier().Verify(input, kNow);
  if (verified.ok()) {
    // Only a token signed (or encrypted) with the fuzz secrets can pass; if
    // the fuzzer finds one, the claims must at least be an object with a hash.
    if (*verified == nullptr || (*verified)->fingerprint.size() != 64) __builtin_trap();
  } else if (verified.status().code() != absl::StatusCode::kPermissionDenied) {
    __builtin_trap();  // every refusal is PermissionDenied
  }

  (void)tessera::identity::jose::ParseCompactJws(input);

  auto json = tessera::identity::jose::ParseStrictJson(input);
  if (json.ok() && json->is_object()) {
    const boost::json::object& object = json->as_object();
    auto jwk = tessera::identity::jose::ParseJwk(object);
    if (jwk.ok()) (void)tessera::identity::jose::PublicJwk(*jwk);
    if (object.contains("keys")) (void)tessera::identity::jose::ParseJwkSet(object);
  }
  return 0;
}
