// Micro-benchmarks of token verification: the cost of a first verification
// of HS256, RS256, ES256 and EdDSA tokens and of a nested (signed, then
// RSA-OAEP-256 + A256GCM encrypted) token, and of a repeated token served
// from the verified-token cache. bench/token.sh runs this beside
// `openssl speed` for the same primitives and reports the ratios.
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
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
};

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
  TokenVerifier verifier(BuildTokenPolicy(c.settings).value());
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
BENCHMARK(BM_CachedToken);

}  // namespace

BENCHMARK_MAIN();
