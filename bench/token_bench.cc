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
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"

namespace {

using namespace tessera::identity;
namespace json = boost::json;

constexpr char kSecret[] = "benchmark-secret-0123456789abcdef0123";

int64_t Now() { return SystemSeconds(); }

std::string Pem(EVP_PKEY* key, bool private_key) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (private_key) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<size_t>(n));
  BIO_free(bio);
  return text;
}

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

KeyPair Generate(const char* type, const char* curve_or_null, size_t rsa_bits) {
  EVP_PKEY* key = nullptr;
  if (std::string(type) == "RSA") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", rsa_bits);
  } else if (curve_or_null != nullptr) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve_or_null);
  } else {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  }
  KeyPair pair{Pem(key, true), Pem(key, false)};
  EVP_PKEY_free(key);
  return pair;
}

// The claims a dashboard's token typically carries.
std::string Claims() {
  json::object c{{"sub", "user-42"}, {"role", "admin"}, {"tenant", "acme"},
                 {"iat", Now()}, {"exp", Now() + 3600}};
  return json::serialize(c);
}

std::string Sign(const std::string& alg_name, const std::string& key_text) {
  auto alg = jose::AlgorithmFromName(alg_name);
  jose::Jwk key;
  if (key_text.empty()) {
    key.type = jose::KeyType::kOct;
    key.secret = kSecret;
    key.is_private = true;
    key.bits = static_cast<int>(key.secret.size() * 8);
  } else {
    key = jose::ParsePemKey(key_text).value();
  }
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
    KeyPair k = Generate("RSA", nullptr, 2048);
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("RS256", k.private_pem);
  } else if (which == "ES256") {
    KeyPair k = Generate("EC", "P-256", 0);
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("ES256", k.private_pem);
  } else if (which == "EdDSA") {
    KeyPair k = Generate("ED25519", nullptr, 0);
    c.settings.jwt_key = k.public_pem;
    c.token = Sign("EdDSA", k.private_pem);
  } else {  // nested: HS256 inside RSA-OAEP-256 + A256GCM
    KeyPair k = Generate("RSA", nullptr, 2048);
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
