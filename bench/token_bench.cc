// Micro-benchmarks of token verification: the cost of a first verification
// of HS256, RS256, ES256 and EdDSA tokens and of a nested (signed, then
// RSA-OAEP-256 + A256GCM encrypted) token, of RS256 and ES256 tokens whose
// key comes from a provider's key set (CUBEJS_JWK_URL, served from memory),
// and of a repeated token served from the verified-token cache. bench/token.sh runs this beside
// `openssl speed` for the same primitives and reports the ratios.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/remote/key_set_fetcher.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"
#include "support/test_keys.h"

namespace {

using namespace tessera::identity;
namespace json = boost::json;

constexpr char kSecret[] = "benchmark-secret-0123456789abcdef0123";

int64_t Now() { return SystemSeconds(); }

// The claims a dashboard's token typically carries.
std::string Claims() {
  json::object c{{"sub", "user-42"}, {"role", "admin"}, {"tenant", "acme"},
                 {"iat", Now()}, {"exp", Now() + 3600}};
  return json::serialize(c);
}

std::string Sign(const std::string& alg_name, const std::string& key_text) {
  auto alg = jose::AlgorithmFromName(alg_name);
  jose::Jwk key = key_text.empty() ? jose::SecretJwk(kSecret) : jose::ParsePemKey(key_text).value();
  return jose::SignCompactJws(*alg, key, json::object{{"typ", "JWT"}}, Claims()).value();
}

struct Case {
  TokenSettings settings;
  std::string token;
  std::shared_ptr<KeySetFetcher> fetcher;  // key-set cases: serves CUBEJS_JWK_URL
};

// A provider's JWK Set from memory: what the JwksCache would fetch, without
// the network.
class MemoryKeySetFetcher final : public KeySetFetcher {
 public:
  explicit MemoryKeySetFetcher(std::string body) : body_(std::move(body)) {}
  absl::StatusOr<FetchResult> Get(const std::string& /*url*/) override {
    return FetchResult{body_, std::chrono::seconds(3600)};
  }

 private:
  std::string body_;
};

// A key-set case: the public key published in a JWK Set with a kid, the
// token signed by the private key and naming that kid, as a provider's are.
Case KeySetCase(const std::string& kind, const std::string& alg_name) {
  Case c;
  auto k = tessera::testing::GeneratePemKeyPair(kind);
  const std::string kid = "bench-" + alg_name;
  json::object jwk = jose::PublicJwk(jose::ParsePemKey(k.public_pem).value()).value();
  jwk["kid"] = kid;
  jwk["alg"] = alg_name;
  jwk["use"] = "sig";
  // Two other keys beside it, as providers publish during a rotation.
  json::array keys{jwk};
  for (auto [other, other_alg] : {std::pair{"RSA", "RS256"}, std::pair{"P-256", "ES256"}}) {
    json::object o = jose::PublicJwk(jose::ParsePemKey(tessera::testing::GeneratePemKeyPair(other).public_pem).value())
                         .value();
    o["kid"] = std::string("bench-other-") + other;
    o["alg"] = other_alg;
    keys.push_back(o);
  }
  c.fetcher = std::make_shared<MemoryKeySetFetcher>(json::serialize(json::object{{"keys", keys}}));
  c.settings.jwk_url = "http://127.0.0.1:9/jwks";  // never contacted: the fetcher answers
  auto alg = jose::AlgorithmFromName(alg_name);
  c.token = jose::SignCompactJws(*alg, jose::ParsePemKey(k.private_pem).value(),
                                 json::object{{"typ", "JWT"}, {"kid", kid}}, Claims())
                .value();
  return c;
}

Case MakeCase(const std::string& which) {
  Case c;
  if (which == "HS256") {
    c.settings.api_secret = kSecret;
    c.token = Sign("HS256", "");
  } else if (which == "RS256") {
    auto k = tessera::testing::GeneratePemKeyPair("RSA");
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("RS256", k.private_pem);
  } else if (which == "ES256") {
    auto k = tessera::testing::GeneratePemKeyPair("P-256");
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("ES256", k.private_pem);
  } else if (which == "EdDSA") {
    auto k = tessera::testing::GeneratePemKeyPair("Ed25519");
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("EdDSA", k.private_pem);
  } else if (which == "RS256-keyset") {
    c = KeySetCase("RSA", "RS256");
  } else if (which == "ES256-keyset") {
    c = KeySetCase("P-256", "ES256");
  } else {  // nested: HS256 inside RSA-OAEP-256 + A256GCM
    auto k = tessera::testing::GeneratePemKeyPair("RSA");
    c.settings.api_secret = kSecret;
    c.settings.jwe_key = k.private_pem;
    jose::Jwk recipient = jose::ParsePemKey(k.public_pem).value();
    c.token = jose::EncryptCompactJwe(jose::Algorithm::kRsaOaep256, jose::ContentEncryption::kA256GCM,
                                      recipient, json::object{{"cty", "JWT"}}, Sign("HS256", ""))
                  .value();
  }
  return c;
}

void BM_FirstVerification(benchmark::State& state, const std::string& which) {
  Case c = MakeCase(which);
  TokenPolicy policy = BuildTokenPolicy(c.settings, c.fetcher).value();
  // Key-set cases: the keys are fetched before measuring, as at start-up.
  if (policy.remote_keys != nullptr && !policy.remote_keys->Refresh().ok()) {
    state.SkipWithError("the key set did not load");
    return;
  }
  TokenVerifier verifier(std::move(policy));
  int64_t now = Now();
  if (!verifier.Verify(c.token, now).ok()) {
    state.SkipWithError("token did not verify");
    return;
  }
  for (auto _ : state) {
    auto verified = verifier.Verify(c.token, now);
    benchmark::DoNotOptimize(verified);
  }
  state.counters["token_bytes"] = static_cast<double>(c.token.size());
}

// The whole identity stage for a repeated token: header parsing, the cache
// lookup (a SHA-256 of the token) and the Principal handed to the pipeline.
void BM_CachedToken(benchmark::State& state) {
  Case c = MakeCase("RS256");
  auto identity = MakeTokenIdentity(BuildTokenPolicy(c.settings).value());
  tessera::http::Request request;
  request.headers["authorization"] = "Bearer " + c.token;
  if (!identity->Identify(request).ok()) {
    state.SkipWithError("token did not verify");
    return;
  }
  for (auto _ : state) {
    auto who = identity->Identify(request);
    benchmark::DoNotOptimize(who);
  }
}

BENCHMARK_CAPTURE(BM_FirstVerification, HS256, std::string("HS256"));
BENCHMARK_CAPTURE(BM_FirstVerification, RS256, std::string("RS256"));
BENCHMARK_CAPTURE(BM_FirstVerification, ES256, std::string("ES256"));
BENCHMARK_CAPTURE(BM_FirstVerification, EdDSA, std::string("EdDSA"));
BENCHMARK_CAPTURE(BM_FirstVerification, NestedJwe, std::string("nested"));
BENCHMARK_CAPTURE(BM_FirstVerification, RS256-keyset, std::string("RS256-keyset"));
BENCHMARK_CAPTURE(BM_FirstVerification, ES256-keyset, std::string("ES256-keyset"));
BENCHMARK(BM_CachedToken);

}  // namespace

BENCHMARK_MAIN();
