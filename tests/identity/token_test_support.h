#pragma once
// Helpers for the token-verification tests. Tokens are assembled here from raw
// TEXT (so malformed headers and payloads can be signed) and signed with
// OpenSSL directly, independently of the JWS code under test. Keys are
// generated with EVP_PKEY_Q_keygen and exported to PEM / DER / JWK text here
// too.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "support/test_keys.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/token_policy.h"
#include "identity/token_settings.h"
#include "identity/token_verifier.h"

namespace tessera::identity::testing {

// A fixed "now" for every test: 2023-11-14T22:13:20Z.
inline constexpr int64_t kNow = 1'700'000'000;

// 32 bytes: HS256 only. 64 bytes: HS256/384/512.
inline const std::string kSecret32 = "0123456789abcdef0123456789ABCDEF";
inline const std::string kSecret64 = kSecret32 + "fedcba9876543210FEDCBA9876543210";

inline std::string B64(std::string_view bytes) { return jose::EncodeBase64Url(bytes); }

// ---------------------------------------------------------------- tokens

// header_b64 "." payload_b64 "." signature_b64, from header/payload TEXT.
inline std::string SigningInput(std::string_view header_json, std::string_view payload_json) {
  return B64(header_json) + "." + B64(payload_json);
}

inline std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // A non-null pointer even for an empty key (HMAC accepts a zero-length key).
  static const unsigned char kEmpty[1] = {0};
  const void* key_ptr = key.empty() ? static_cast<const void*>(kEmpty) : key.data();
  unsigned char* r = HMAC(md, key_ptr, static_cast<int>(key.size()),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  EXPECT_NE(r, nullptr) << "HMAC() failed";
  if (r == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(out), len);
}

// A compact JWS whose signature is HMAC(md, key) over the given texts.
inline std::string HsToken(std::string_view header_json, std::string_view payload_json,
                           std::string_view key, const EVP_MD* md = EVP_sha256()) {
  std::string input = SigningInput(header_json, payload_json);
  return input + "." + B64(Hmac(md, key, input));
}

inline std::string Hs256(std::string_view payload_json, std::string_view key = kSecret32) {
  return HsToken(R"({"alg":"HS256","typ":"JWT"})", payload_json, key);
}

// Claims valid at kNow (exp one hour later) plus extra members ("," prefixed by caller not needed).
inline std::string ClaimsJson(std::string_view extra = "", int64_t exp = kNow + 3600) {
  std::string out = "{\"sub\":\"alice\",\"iat\":" + std::to_string(kNow) + ",\"exp\":" + std::to_string(exp);
  if (!extra.empty()) {
    out += ",";
    out += extra;
  }
  out += "}";
  return out;
}

// ---------------------------------------------------------------- keys

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::shared_ptr<EVP_PKEY>;

struct KeyPair {
  Pkey pkey;
  std::string private_pem;  // PKCS#8 "PRIVATE KEY"
  std::string public_pem;   // SPKI "PUBLIC KEY"
};

inline KeyPair MakeKeyPair(EVP_PKEY* raw) {
  KeyPair kp;
  EXPECT_NE(raw, nullptr) << "key generation failed";
  if (raw == nullptr) return kp;
  kp.pkey = Pkey(raw, PkeyFree());
  kp.private_pem = ::tessera::testing::PemText(raw, true);
  kp.public_pem = ::tessera::testing::PemText(raw, false);
  EXPECT_FALSE(kp.private_pem.empty() || kp.public_pem.empty());
  return kp;
}

inline KeyPair GenerateRsa(std::size_t bits) {
  return MakeKeyPair(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
}
inline KeyPair GenerateEcP256() {
  return MakeKeyPair(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}
inline KeyPair GenerateEd25519() { return MakeKeyPair(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); }
inline KeyPair GenerateX25519() { return MakeKeyPair(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")); }

// Generated once per test binary (RSA generation is slow under sanitizers).
inline const KeyPair& RealRsa() { static const KeyPair k = GenerateRsa(2048); return k; }
inline const KeyPair& AttackerRsa() { static const KeyPair k = GenerateRsa(2048); return k; }
inline const KeyPair& WeakRsa() { static const KeyPair k = GenerateRsa(1024); return k; }
inline const KeyPair& RealEc() { static const KeyPair k = GenerateEcP256(); return k; }
inline const KeyPair& AttackerEc() { static const KeyPair k = GenerateEcP256(); return k; }
inline const KeyPair& RealEd25519() { static const KeyPair k = GenerateEd25519(); return k; }
inline const KeyPair& RealX25519() { static const KeyPair k = GenerateX25519(); return k; }

inline std::string SpkiDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key, &der);
  EXPECT_GT(n, 0);
  if (n <= 0) return std::string();
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

inline std::string BnParam(EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1) << name;
  if (bn == nullptr) return std::string();
  int n = pad_to > 0 ? pad_to : BN_num_bytes(bn);
  std::string out(static_cast<std::size_t>(n), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), n);
  BN_free(bn);
  return out;
}

inline std::string RsaModulus(EVP_PKEY* key) { return BnParam(key, OSSL_PKEY_PARAM_RSA_N); }

// The public JWK as JSON text (members in RFC 7638 order), with an optional kid.
inline std::string PublicJwkJson(EVP_PKEY* key, std::string_view kid = "") {
  std::string kid_member = kid.empty() ? std::string() : ",\"kid\":\"" + std::string(kid) + "\"";
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      return "{\"e\":\"" + B64(BnParam(key, OSSL_PKEY_PARAM_RSA_E)) + "\",\"kty\":\"RSA\",\"n\":\"" +
             B64(RsaModulus(key)) + "\"" + kid_member + "}";
    case EVP_PKEY_EC:
      return "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + B64(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, 32)) +
             "\",\"y\":\"" + B64(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32)) + "\"" + kid_member + "}";
    case EVP_PKEY_ED25519:
    case EVP_PKEY_X25519: {
      unsigned char raw[64];
      std::size_t len = sizeof raw;
      EXPECT_EQ(EVP_PKEY_get_raw_public_key(key, raw, &len), 1);
      const char* crv = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? "Ed25519" : "X25519";
      return std::string("{\"crv\":\"") + crv + "\",\"kty\":\"OKP\",\"x\":\"" +
             B64(std::string_view(reinterpret_cast<const char*>(raw), len)) + "\"" + kid_member + "}";
    }
    default:
      ADD_FAILURE() << "unsupported key type";
      return std::string();
  }
}

// ---------------------------------------------------------------- signatures

// EVP_DigestSign: RSA PKCS#1 v1.5 (RS*), ECDSA (DER!), Ed25519 (md = nullptr).
inline std::string RawSign(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key), 1);
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()), 1);
  std::string sig(len, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()), 1);
  sig.resize(len);
  return sig;
}

// ECDSA DER (SEQUENCE { r, s }) → JOSE's r || s, each `size` bytes.
inline std::string DerToP1363(std::string_view der, int size) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  EXPECT_NE(sig, nullptr);
  if (sig == nullptr) return std::string();
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string out(static_cast<std::size_t>(2 * size), '\0');
  BN_bn2binpad(r, reinterpret_cast<unsigned char*>(out.data()), size);
  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(out.data()) + size, size);
  ECDSA_SIG_free(sig);
  return out;
}

inline std::string Rs256Token(std::string_view header_json, std::string_view payload_json, EVP_PKEY* key) {
  std::string input = SigningInput(header_json, payload_json);
  return input + "." + B64(RawSign(key, EVP_sha256(), input));
}
inline std::string Es256Token(std::string_view header_json, std::string_view payload_json, EVP_PKEY* key) {
  std::string input = SigningInput(header_json, payload_json);
  return input + "." + B64(DerToP1363(RawSign(key, EVP_sha256(), input), 32));
}
inline std::string EdDsaToken(std::string_view header_json, std::string_view payload_json, EVP_PKEY* key) {
  std::string input = SigningInput(header_json, payload_json);
  return input + "." + B64(RawSign(key, nullptr, input));
}

// A self-signed certificate (DER) for `key`.
inline std::string SelfSignedCertDer(EVP_PKEY* key, const char* cn) {
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600L * 24 * 365);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  EXPECT_GT(X509_sign(cert.get(), key, EVP_sha256()), 0);
  unsigned char* der = nullptr;
  int n = i2d_X509(cert.get(), &der);
  EXPECT_GT(n, 0);
  if (n <= 0) return std::string();
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

// Standard (not url-safe) padded base64, as "x5c" uses (RFC 7515 §4.1.6).
inline std::string StdBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// ---------------------------------------------------------------- policies

// Builds the policy and fails the test (fatally, in the caller's
// ASSERT_NO_FATAL_FAILURE) when the settings are refused.
inline void BuildPolicy(const TokenSettings& settings, TokenPolicy* out) {
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
  ASSERT_TRUE(policy.ok()) << "BuildTokenPolicy refused the settings: " << policy.status();
  *out = *std::move(policy);
}

inline TokenSettings SecretSettings(std::string secret = kSecret32) {
  TokenSettings s;
  s.api_secret = std::move(secret);
  return s;
}

inline jose::Jwk OctJwk(std::string_view secret) {
  jose::Jwk k;
  k.type = jose::KeyType::kOct;
  k.secret = std::string(secret);
  k.is_private = true;
  k.bits = static_cast<int>(secret.size() * 8);
  return k;
}

// A Jwk for a generated key pair, through the library's PEM import.
inline jose::Jwk JwkFromPem(const std::string& pem) {
  absl::StatusOr<jose::Jwk> k = jose::ParsePemKey(pem);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.ok() ? *std::move(k) : jose::Jwk();
}

// Verification outcome as an assertion, so failures print the refusal cause.
inline ::testing::AssertionResult Refused(const TokenVerifier& verifier, std::string_view token,
                                          int64_t now = kNow) {
  auto r = verifier.Verify(token, now);
  if (r.ok()) return ::testing::AssertionFailure() << "token was ACCEPTED: " << token.substr(0, 200);
  if (r.status().code() != absl::StatusCode::kPermissionDenied) {
    return ::testing::AssertionFailure() << "refused, but not with PermissionDenied: " << r.status();
  }
  return ::testing::AssertionSuccess() << "refused: " << r.status();
}

inline ::testing::AssertionResult Accepted(const TokenVerifier& verifier, std::string_view token,
                                           int64_t now = kNow) {
  auto r = verifier.Verify(token, now);
  if (!r.ok()) return ::testing::AssertionFailure() << "token was refused: " << r.status();
  if (*r == nullptr) return ::testing::AssertionFailure() << "Verify returned ok with a null token";
  return ::testing::AssertionSuccess();
}

}  // namespace tessera::identity::testing
