// Feeds arbitrary bytes to the token verifier as one token (compact JWS or
// JWE) — with a configured issuer too, so that a payload's iss chooses whose
// keys to try — and to the parsers underneath it: the compact JWS parser, the
// strict JSON parser, the JWK importer, and the readers of what a provider
// publishes (its JWK Set and its discovery document).
// None may crash, hang, leak or let an exception escape; errors are values.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/jose/strict_json.h"
#include "identity/remote/oidc_discovery.h"
#include "identity/remote/remote_key_set.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"

namespace {

using tessera::identity::TokenPolicy;
using tessera::identity::TokenSettings;
using tessera::identity::TokenVerifier;

// The issuer's key set, from memory (a P-256 public key; its private half
// was thrown away, so no input can verify with it).
class MemoryFetcher final : public tessera::identity::KeySetFetcher {
 public:
  absl::StatusOr<tessera::identity::FetchResult> Get(const std::string&) override {
    return tessera::identity::FetchResult{
        R"({"keys":[{"kty":"EC","kid":"k1","crv":"P-256","x":"AvFv3GDIO_SU5CMOcRZtpXCMFHHy_1Sd04mYAmHBrs8",)"
        R"("y":"HSCk8_WCLaX0hYtXdV9UmIEuOZ_E0Jp3Cc0CE-azOcQ"}]})",
        std::nullopt};
  }
};

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier = [] {
    TokenSettings settings;
    settings.api_secret = "fuzz-api-secret-0123456789abcdef";    // 32 bytes: HS256
    settings.jwe_key = "fuzz-jwe-secret-0123456789ABCDEF";       // 32 bytes
    settings.jwe_algs = "dir,A256KW";
    settings.jwe_encs = "A256GCM,A128CBC-HS256";
    tessera::identity::IssuerConfig issuer;
    issuer.issuer = "https://idp.example/";
    issuer.jwks_uri = "https://idp.example/jwks";
    issuer.audiences = {"api"};
    settings.issuers.push_back(issuer);
    absl::StatusOr<TokenPolicy> policy =
        tessera::identity::BuildTokenPolicy(settings, std::make_shared<MemoryFetcher>());
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
  static const std::vector<tessera::identity::jose::Algorithm> kAllowed = {
      tessera::identity::jose::Algorithm::kRS256, tessera::identity::jose::Algorithm::kES256,
      tessera::identity::jose::Algorithm::kEdDSA};
  (void)tessera::identity::ParseRemoteKeySet(input, kAllowed);
  (void)tessera::identity::ParseProviderMetadata(input, "https://idp.example/");
  return 0;
}
