// The classic attacks on JWT verification, in key-set mode (CUBEJS_JWK_URL):
// TokenVerifier built by BuildTokenPolicy with the real OpenID Connect
// provider's jwks_uri (tests/oidc), audience and issuer. Every forged token
// starts from a genuine one (or from claims the genuine key accepts), and
// each test checks that the genuine token verifies, so a refusal means the
// attack failed, not that the test's token was broken.
//   - RS256 -> HS* confusion with the provider's RSA public key in every
//     serialisation (JWK, RFC 7638 JWK, PEM SPKI / PKCS#1, DER, base64, n);
//   - alg relabelling on the RSA, EC and Ed25519 keys, "none";
//   - the provider's own RSA private key signing other RSA algorithms (the
//     key is bound to RS256);
//   - psychic ECDSA signatures (CVE-2022-21449) and DER signatures;
//   - an attacker's own keys with the provider's kids;
//   - keys named by the header (jwk, jku, x5u, x5c): never trusted, never fetched;
//   - audience and issuer, with a key set served by the test itself;
//   - a flood of unknown kids costs at most one fetch at the provider.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>

#include "http/server.h"
#include "identity/jose/algorithms.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/jose/key_set.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_settings.h"
#include "identity/token_verifier.h"
#include "oidc_provider_fixture.h"
#include "token_test_support.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;
using jose::Algorithm;
using testing::Accepted;
using testing::Refused;

constexpr char kAudience[] = "https://tessera.local/api";
constexpr char kNamespace[] = "http://localhost:3000";

// ------------------------------------------------------------ token pieces

struct Parts {
  std::string header_b64;
  std::string payload_b64;
  std::string signature_b64;
};

Parts Split(const std::string& token) {
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

json::object HeaderObject(const std::string& token) {
  absl::StatusOr<std::string> text = jose::DecodeBase64Url(Split(token).header_b64);
  EXPECT_TRUE(text.ok());
  return text.ok() ? json::parse(*text).as_object() : json::object();
}

std::string Decoded(const std::string& b64) {
  absl::StatusOr<std::string> bytes = jose::DecodeBase64Url(b64);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

// The token with its header's alg replaced (every other header member and
// the signature kept).
std::string Relabelled(const std::string& token, const std::string& alg) {
  json::object h = HeaderObject(token);
  h["alg"] = alg;
  Parts p = Split(token);
  return jose::EncodeBase64Url(json::serialize(h)) + "." + p.payload_b64 + "." + p.signature_b64;
}

// A token over (header_json, payload_b64) signed by `key` with `alg` through
// the project's JOSE code.
std::string SignedWith(Algorithm alg, const jose::Jwk& key, const std::string& header_json,
                       const std::string& payload_b64) {
  std::string input = jose::EncodeBase64Url(header_json) + "." + payload_b64;
  absl::StatusOr<std::string> sig = jose::ComputeSignature(alg, key, input);
  EXPECT_TRUE(sig.ok()) << jose::AlgorithmName(alg) << ": " << sig.status();
  return input + "." + jose::EncodeBase64Url(sig.ok() ? *sig : std::string("x"));
}

std::string HeaderJson(std::string_view alg, const std::string& kid, std::string_view extra = "") {
  std::string out = "{\"alg\":\"" + std::string(alg) + "\",\"typ\":\"at+jwt\"";
  if (!kid.empty()) out += ",\"kid\":\"" + kid + "\"";
  if (!extra.empty()) out += "," + std::string(extra);
  return out + "}";
}

// Claims the provider's tokens carry, valid now.
json::object GoodClaims(const std::string& issuer, int64_t now) {
  return json::object{{"iss", issuer},
                      {"sub", "attacker"},
                      {"aud", kAudience},
                      {"iat", now},
                      {"exp", now + 600},
                      {kNamespace, json::object{{"role", "admin"}, {"tenant", "acme"}}}};
}


// ------------------------------------------------------------ key encodings

// The public key in `format` ("PEM", "DER") and `structure`
// ("SubjectPublicKeyInfo", "pkcs1"), through OpenSSL 3's OSSL_ENCODER.
std::string EncodePublicKey(EVP_PKEY* key, const char* format, const char* structure) {
  std::unique_ptr<OSSL_ENCODER_CTX, decltype(&OSSL_ENCODER_CTX_free)> ctx(
      OSSL_ENCODER_CTX_new_for_pkey(key, EVP_PKEY_PUBLIC_KEY, format, structure, nullptr), &OSSL_ENCODER_CTX_free);
  EXPECT_NE(ctx, nullptr);
  if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0) {
    ADD_FAILURE() << "no encoder for " << format << " " << structure;
    return "";
  }
  unsigned char* data = nullptr;
  size_t len = 0;
  if (OSSL_ENCODER_to_data(ctx.get(), &data, &len) != 1) {
    ADD_FAILURE() << "OSSL_ENCODER_to_data failed for " << format << " " << structure;
    return "";
  }
  std::string out(reinterpret_cast<const char*>(data), len);
  OPENSSL_free(data);
  return out;
}

std::string WithoutTrailingNewline(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

// A fixed-size r || s (P1363) ECDSA signature as DER (SEQUENCE { r, s }).
std::string P1363ToDer(std::string_view raw) {
  size_t half = raw.size() / 2;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + half, static_cast<int>(half), nullptr);
  EXPECT_EQ(ECDSA_SIG_set0(sig, r, s), 1);
  unsigned char* der = nullptr;
  int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EXPECT_GT(n, 0);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// ------------------------------------------------------------ a trap for fetches

// A loopback socket that listens and never answers: a verifier that fetched
// a jku / x5u would show up here as a connection attempt.
class TrapListener {
 public:
  TrapListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0) << errno;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << errno;
    EXPECT_EQ(::listen(fd_, 16), 0) << errno;
    socklen_t len = sizeof addr;
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~TrapListener() {
    if (fd_ >= 0) ::close(fd_);
  }
  TrapListener(const TrapListener&) = delete;
  TrapListener& operator=(const TrapListener&) = delete;

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Connection attempts seen within `timeout_ms` (accepted and closed).
  int Attempts(int timeout_ms) {
    int n = 0;
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, timeout_ms) > 0) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) break;
      ::close(c);
      ++n;
      timeout_ms = 0;
    }
    return n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// ------------------------------------------------------------ a key set of our own

class StaticJwks final : public http::Handler {
 public:
  explicit StaticJwks(std::string body) : body_(std::move(body)) {}
  void Handle(http::Request req, http::Responder respond) override {
    http::Response r;
    if (req.path == "/jwks") {
      r.body = body_;
      r.headers.emplace_back("Cache-Control", "public, max-age=600");
    } else {
      r.status = 404;
      r.body = "{}";
    }
    respond(std::move(r));
  }

 private:
  std::string body_;
};

// ------------------------------------------------------------ the fixture

class KeySetAttackTest : public OidcProviderTest {
 protected:
  static void SetUpTestSuite() {
    OidcProviderTest::SetUpTestSuite();
    tokens_ = new std::map<std::string, std::string>();
  }
  static void TearDownTestSuite() {
    delete tokens_;
    tokens_ = nullptr;
    OidcProviderTest::TearDownTestSuite();
  }

  // One access token per alg from the real login flow (about a second
  // each), fetched once per suite and shared by the tests.
  static std::string Token(const std::string& alg) {
    auto it = tokens_->find(alg);
    if (it != tokens_->end()) return it->second;
    std::string token = AccessToken("carol@globex.example", "carol-password", alg);
    if (!token.empty()) (*tokens_)[alg] = token;
    return token;
  }

  static TokenSettings Settings() {
    TokenSettings s;
    s.jwk_url = *issuer_ + "/jwks";
    s.audience = kAudience;
    s.issuer = *issuer_;
    return s;
  }

  // The verifier under test: CUBEJS_JWK_URL = the provider's jwks_uri.
  static std::unique_ptr<TokenVerifier> KeySetVerifier(const TokenSettings& settings = Settings()) {
    absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
    EXPECT_TRUE(policy.ok()) << policy.status();
    if (!policy.ok()) return nullptr;
    absl::Status refreshed = policy->remote_keys->Refresh();
    EXPECT_TRUE(refreshed.ok()) << refreshed;
    return std::make_unique<TokenVerifier>(*std::move(policy));
  }

  // The provider's published key set, as fetched by an attacker.
  static std::string PublishedSetText() { return RunCommand("curl -s " + Quote(*issuer_ + "/jwks")); }

  static json::object PublishedKey(const std::string& text, const std::string& kid) {
    json::value set = json::parse(text);
    for (const auto& k : set.at("keys").as_array()) {
      if (k.at("kid").as_string() == kid) return k.as_object();
    }
    ADD_FAILURE() << "no published key with kid " << kid;
    return {};
  }

  // The provider's private JWK (from the state directory this fixture gave
  // it; no attacker has it): to make signatures that are
  // cryptographically valid under the published key but for another
  // algorithm. "alg" is dropped so the JOSE code will sign with any.
  static jose::Jwk ProviderPrivateKey(const std::string& kid) {
    std::ifstream in(*state_ / "jwks.json");
    std::stringstream text;
    text << in.rdbuf();
    json::value set = json::parse(text.str());
    for (const auto& k : set.at("keys").as_array()) {
      if (k.at("kid").as_string() != kid) continue;
      json::object o = k.as_object();
      o.erase("alg");
      absl::StatusOr<jose::Jwk> key = jose::ParseJwk(o);
      EXPECT_TRUE(key.ok()) << key.status();
      if (key.ok()) return *std::move(key);
    }
    ADD_FAILURE() << "no private key with kid " << kid;
    return {};
  }

  inline static std::map<std::string, std::string>* tokens_ = nullptr;
};

// ------------------------------------------------------------ RS -> HS

TEST_F(KeySetAttackTest, RsaPublicKeyAsHmacSecretInEverySerialisation) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string rs = Token("RS256");
  ASSERT_FALSE(rs.empty());
  ASSERT_TRUE(Accepted(*verifier, rs, now));
  const std::string kid = Header(rs).second;
  const std::string payload = Split(rs).payload_b64;

  const std::string set_text = PublishedSetText();
  json::object published = PublishedKey(set_text, kid);
  ASSERT_FALSE(published.empty());
  EXPECT_EQ(published.at("kty"), "RSA");
  absl::StatusOr<jose::Jwk> rsa = jose::ParseJwk(published);
  ASSERT_TRUE(rsa.ok()) << rsa.status();
  EVP_PKEY* pkey = rsa->pkey.get();
  const std::string n_text(published.at("n").as_string());
  const std::string e_text(published.at("e").as_string());

  const std::string spki_pem = EncodePublicKey(pkey, "PEM", "SubjectPublicKeyInfo");
  const std::string pkcs1_pem = EncodePublicKey(pkey, "PEM", "pkcs1");
  const std::string spki_der = EncodePublicKey(pkey, "DER", "SubjectPublicKeyInfo");
  // The encodings are what they should be (and agree with the i2d / PEM_write paths).
  ASSERT_EQ(spki_pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u) << spki_pem;
  ASSERT_EQ(spki_pem, ::tessera::testing::PemText(pkey, false));
  ASSERT_EQ(pkcs1_pem.rfind("-----BEGIN RSA PUBLIC KEY-----\n", 0), 0u) << pkcs1_pem;
  ASSERT_EQ(spki_der, testing::SpkiDer(pkey));
  ASSERT_EQ(Decoded(n_text), testing::RsaModulus(pkey));
  absl::StatusOr<std::string> thumbprint = jose::JwkThumbprint(*rsa);
  ASSERT_TRUE(thumbprint.ok());

  json::object sorted;  // every published member, in lexicographic order
  for (const char* name : {"alg", "e", "kid", "kty", "n", "use"}) {
    if (published.contains(name)) sorted[name] = published.at(name);
  }
  const std::vector<std::pair<std::string, std::string>> secrets = {
      {"JWK as published", json::serialize(published)},
      {"JWK Set as published", set_text},
      {"JWK, RFC 7638 members and order", "{\"e\":\"" + e_text + "\",\"kty\":\"RSA\",\"n\":\"" + n_text + "\"}"},
      {"JWK, all members sorted", json::serialize(sorted)},
      {"PEM SPKI", spki_pem},
      {"PEM SPKI without trailing newline", WithoutTrailingNewline(spki_pem)},
      {"PEM PKCS#1", pkcs1_pem},
      {"PEM PKCS#1 without trailing newline", WithoutTrailingNewline(pkcs1_pem)},
      {"DER SPKI", spki_der},
      {"base64 of DER SPKI", testing::StdBase64(spki_der)},
      {"base64url of DER SPKI", jose::EncodeBase64Url(spki_der)},
      {"n as base64url text", n_text},
      {"n as raw bytes", Decoded(n_text)},
      {"RFC 7638 thumbprint", *thumbprint},
  };
  const std::vector<Algorithm> hmacs = {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512};
  int forged = 0;
  for (const auto& [form, secret] : secrets) {
    ASSERT_FALSE(secret.empty()) << form;
    for (Algorithm alg : hmacs) {
      if (secret.size() < (alg == Algorithm::kHS256 ? 32u : alg == Algorithm::kHS384 ? 48u : 64u)) continue;
      // The forgery is a well-made token: a verifier that did take this
      // serialisation as an HMAC secret would accept it...
      TokenPolicy naive;
      naive.signing_keys.push_back(jose::BoundKey{alg, jose::SecretJwk(secret)});
      naive.claims.audiences = {kAudience};
      naive.claims.issuers = {*issuer_};
      TokenVerifier naive_verifier(naive);
      for (const std::string& token_kid : {kid, std::string()}) {
        std::string token = SignedWith(alg, jose::SecretJwk(secret), HeaderJson(jose::AlgorithmName(alg), token_kid),
                                       payload);
        EXPECT_TRUE(Accepted(naive_verifier, token, now)) << form << " " << jose::AlgorithmName(alg);
        // ...and the key-set verifier refuses it.
        EXPECT_TRUE(Refused(*verifier, token, now))
            << form << ", " << jose::AlgorithmName(alg) << (token_kid.empty() ? ", no kid" : ", real kid");
        ++forged;
      }
    }
  }
  EXPECT_GE(forged, 80);
  EXPECT_TRUE(Accepted(*verifier, rs, now));
}

// ------------------------------------------------------------ alg swaps

TEST_F(KeySetAttackTest, AlgRelabelledOnEachKeyIsRefused) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string rs = Token("RS256");
  const std::string es = Token("ES256");
  const std::string ed = Token("EdDSA");
  ASSERT_FALSE(rs.empty() || es.empty() || ed.empty());
  ASSERT_TRUE(Accepted(*verifier, rs, now));
  ASSERT_TRUE(Accepted(*verifier, es, now));
  ASSERT_TRUE(Accepted(*verifier, ed, now));
  // Relabelling the header to its own alg changes nothing (so the helper
  // itself keeps a good token good).
  EXPECT_TRUE(Accepted(*verifier, Relabelled(rs, "RS256"), now));
  EXPECT_TRUE(Accepted(*verifier, Relabelled(es, "ES256"), now));
  EXPECT_TRUE(Accepted(*verifier, Relabelled(ed, "EdDSA"), now));

  for (const char* alg : {"RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "EdDSA", "HS256", "none"}) {
    EXPECT_TRUE(Refused(*verifier, Relabelled(rs, alg), now)) << "RS256 token relabelled " << alg;
  }
  for (const char* alg : {"ES384", "ES512", "RS256", "EdDSA"}) {
    EXPECT_TRUE(Refused(*verifier, Relabelled(es, alg), now)) << "ES256 token relabelled " << alg;
  }
  EXPECT_TRUE(Refused(*verifier, Relabelled(ed, "ES256"), now)) << "EdDSA token relabelled ES256";

  // "none" with the signature stripped, in its spellings.
  for (const std::string& token : {rs, es, ed}) {
    for (const char* none : {"none", "None", "NONE", "nOnE"}) {
      std::string stripped = Relabelled(token, none);
      stripped = stripped.substr(0, stripped.rfind('.') + 1);
      EXPECT_TRUE(Refused(*verifier, stripped, now)) << none << " without a signature";
      // Without the trailing dot too (two segments).
      EXPECT_TRUE(Refused(*verifier, stripped.substr(0, stripped.size() - 1), now)) << none;
    }
  }
  // The genuine header with the signature stripped.
  EXPECT_TRUE(Refused(*verifier, rs.substr(0, rs.rfind('.') + 1), now));
}

// The relabelled tokens above change the signed header, so their signatures
// fail whatever the binding. Here the provider's own RSA private key signs
// the genuine claims with each other RSA algorithm: signatures valid under
// the published key, refused because the key is bound to RS256.
TEST_F(KeySetAttackTest, ProviderRsaKeyIsBoundToItsOneAlgorithm) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string rs = Token("RS256");
  ASSERT_TRUE(Accepted(*verifier, rs, now));
  const std::string kid = Header(rs).second;
  jose::Jwk key = ProviderPrivateKey(kid);
  ASSERT_EQ(key.type, jose::KeyType::kRsa);
  const std::string payload = Split(rs).payload_b64;
  // Control: the same key and claims with RS256 are accepted.
  EXPECT_TRUE(Accepted(*verifier, SignedWith(Algorithm::kRS256, key, HeaderJson("RS256", kid), payload), now));
  for (Algorithm alg : {Algorithm::kRS384, Algorithm::kRS512, Algorithm::kPS256, Algorithm::kPS384,
                        Algorithm::kPS512}) {
    std::string name(jose::AlgorithmName(alg));
    std::string token = SignedWith(alg, key, HeaderJson(name, kid), payload);
    // The signature is valid for that algorithm under the published key...
    ASSERT_TRUE(jose::VerifySignature(alg, key, Split(token).header_b64 + "." + payload,
                                      Decoded(Split(token).signature_b64))
                    .ok())
        << name;
    // ...and refused: the key verifies RS256 only.
    EXPECT_TRUE(Refused(*verifier, token, now)) << name << " with the RS256 key";
    EXPECT_TRUE(Refused(*verifier, SignedWith(alg, key, HeaderJson(name, ""), payload), now)) << name << ", no kid";
  }
}

// ------------------------------------------------------------ psychic signatures

TEST_F(KeySetAttackTest, PsychicAndMalformedEcdsaSignaturesAreRefused) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string es = Token("ES256");
  ASSERT_TRUE(Accepted(*verifier, es, now));
  // The token names the provider's real ES256 key.
  EXPECT_EQ(Admin("GET", "/__admin/keys").at("signing").at("ES256"), json::string(Header(es).second));
  Parts p = Split(es);
  const std::string input = p.header_b64 + "." + p.payload_b64;
  const std::string sig = Decoded(p.signature_b64);
  ASSERT_EQ(sig.size(), 64u);
  const std::string r = sig.substr(0, 32);
  const std::string s = sig.substr(32);
  // The order n of P-256.
  const std::string n = Decoded("_____wAAAAD__________7zm-q2nF56E87nKwvxjJVE");
  ASSERT_EQ(n.size(), 32u);
  const std::string zero(32, '\0');
  std::string one = zero;
  one.back() = 1;

  const std::vector<std::pair<std::string, std::string>> forged = {
      {"r = s = 0", zero + zero},
      {"r = s = n", n + n},
      {"r = 0, s valid-looking", zero + s},
      {"r valid-looking, s = 0", r + zero},
      {"r = n, s valid-looking", n + s},
      {"r = s = 1", one + one},
      {"DER encoding of the genuine signature", P1363ToDer(sig)},
      {"empty-ish: one zero byte", std::string(1, '\0')},
      {"the genuine signature and a trailing byte", sig + std::string(1, '\0')},
      {"the genuine signature less its last byte", sig.substr(0, 63)},
      {"the genuine signature with a leading zero byte", std::string(1, '\0') + sig},
  };
  for (const auto& [what, signature] : forged) {
    ASSERT_FALSE(signature.empty()) << what;
    EXPECT_TRUE(Refused(*verifier, input + "." + jose::EncodeBase64Url(signature), now)) << what;
  }
  // The DER form really is the genuine signature, re-encoded.
  EXPECT_NE(P1363ToDer(sig).size(), 64u);
  EXPECT_EQ(testing::DerToP1363(P1363ToDer(sig), 32), sig);
  EXPECT_TRUE(Accepted(*verifier, input + "." + jose::EncodeBase64Url(sig), now));
}

// ------------------------------------------------------------ attacker keys with real kids

TEST_F(KeySetAttackTest, AttackerKeysWithTheProvidersKidsAreRefused) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string rs = Token("RS256");
  const std::string es = Token("ES256");
  const std::string ed = Token("EdDSA");
  ASSERT_TRUE(Accepted(*verifier, rs, now));
  const std::string rs_kid = Header(rs).second;
  const std::string es_kid = Header(es).second;
  const std::string ed_kid = Header(ed).second;
  const std::string claims = json::serialize(GoodClaims(*issuer_, now));
  const std::string payload = jose::EncodeBase64Url(claims);

  // Control: these claims, signed by the provider's real keys, are accepted.
  EXPECT_TRUE(Accepted(*verifier,
                       SignedWith(Algorithm::kRS256, ProviderPrivateKey(rs_kid), HeaderJson("RS256", rs_kid), payload),
                       now));
  EXPECT_TRUE(Accepted(*verifier,
                       SignedWith(Algorithm::kES256, ProviderPrivateKey(es_kid), HeaderJson("ES256", es_kid), payload),
                       now));

  const testing::KeyPair& rsa = testing::AttackerRsa();  // 2048 bits, generated in the test
  const testing::KeyPair& ec = testing::AttackerEc();    // P-256
  const testing::KeyPair ed25519 = testing::GenerateEd25519();
  for (const std::string& kid : {rs_kid, es_kid, ed_kid, std::string()}) {
    EXPECT_TRUE(Refused(*verifier, testing::Rs256Token(HeaderJson("RS256", kid), claims, rsa.pkey.get()), now))
        << "attacker RSA key, kid " << kid;
    EXPECT_TRUE(Refused(*verifier, testing::Es256Token(HeaderJson("ES256", kid), claims, ec.pkey.get()), now))
        << "attacker P-256 key, kid " << kid;
    EXPECT_TRUE(Refused(*verifier, testing::EdDsaToken(HeaderJson("EdDSA", kid), claims, ed25519.pkey.get()), now))
        << "attacker Ed25519 key, kid " << kid;
  }
  // Also through the JOSE signer (PS256 with the attacker's RSA key and the real kid).
  jose::Jwk attacker_rsa = testing::JwkFromPem(rsa.private_pem);
  EXPECT_TRUE(Refused(*verifier, SignedWith(Algorithm::kPS256, attacker_rsa, HeaderJson("PS256", rs_kid), payload), now));
}

// ------------------------------------------------------------ keys named by the header

TEST_F(KeySetAttackTest, HeaderKeysAreNeitherTrustedNorFetched) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string rs = Token("RS256");
  const std::string es = Token("ES256");
  ASSERT_TRUE(Accepted(*verifier, rs, now));
  const std::string rs_kid = Header(rs).second;
  const std::string es_kid = Header(es).second;
  const std::string claims = json::serialize(GoodClaims(*issuer_, now));
  const testing::KeyPair& rsa = testing::AttackerRsa();
  const testing::KeyPair& ec = testing::AttackerEc();
  const std::string rsa_jwk = testing::PublicJwkJson(rsa.pkey.get());
  const std::string ec_jwk = testing::PublicJwkJson(ec.pkey.get());
  const std::string cert = testing::StdBase64(testing::SelfSignedCertDer(rsa.pkey.get(), "attacker"));
  const std::string ec_cert = testing::StdBase64(testing::SelfSignedCertDer(ec.pkey.get(), "attacker"));
  ASSERT_FALSE(cert.empty() || ec_cert.empty());

  TrapListener trap;
  const std::string jku = "\"jku\":\"" + trap.base() + "/jwks.json\"";
  const std::string x5u = "\"x5u\":\"" + trap.base() + "/cert.pem\"";
  const std::vector<std::string> rsa_members = {
      "\"jwk\":" + rsa_jwk, jku, x5u, jku + "," + x5u, "\"x5c\":[\"" + cert + "\"]",
      "\"jwk\":" + rsa_jwk + "," + jku + "," + x5u + ",\"x5c\":[\"" + cert + "\"]"};
  const std::vector<std::string> ec_members = {"\"jwk\":" + ec_jwk, jku, x5u, "\"x5c\":[\"" + ec_cert + "\"]"};

  // A verifier that trusts the attacker's key accepts these tokens: the
  // header members themselves do not make them invalid.
  TokenSettings attacker_trusting;
  attacker_trusting.jwt_key = rsa.public_pem;
  attacker_trusting.audience = kAudience;
  attacker_trusting.issuer = *issuer_;
  absl::StatusOr<TokenPolicy> trusting_policy = BuildTokenPolicy(attacker_trusting);
  ASSERT_TRUE(trusting_policy.ok()) << trusting_policy.status();
  TokenVerifier trusting(*std::move(trusting_policy));

  int tried = 0;
  for (const std::string& members : rsa_members) {
    for (const std::string& kid : {rs_kid, std::string("attacker-1"), std::string()}) {
      std::string token = testing::Rs256Token(HeaderJson("RS256", kid, members), claims, rsa.pkey.get());
      EXPECT_TRUE(Refused(*verifier, token, now)) << members.substr(0, 80) << ", kid " << kid;
      if (kid.empty()) {
        EXPECT_TRUE(Accepted(trusting, token, now)) << members.substr(0, 80);
      }
      ++tried;
    }
  }
  for (const std::string& members : ec_members) {
    for (const std::string& kid : {es_kid, std::string("attacker-2"), std::string()}) {
      std::string token = testing::Es256Token(HeaderJson("ES256", kid, members), claims, ec.pkey.get());
      EXPECT_TRUE(Refused(*verifier, token, now)) << members.substr(0, 80) << ", kid " << kid;
      ++tried;
    }
  }
  EXPECT_EQ(tried, 30);
  EXPECT_EQ(trap.Attempts(300), 0) << "the verifier connected to a URL named by a token header";

  // The trap does see connections, so the zero above means something.
  int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(trap.port()));
  EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << errno;
  EXPECT_EQ(trap.Attempts(2000), 1);
  ::close(client);
  EXPECT_TRUE(Accepted(*verifier, rs, now));
}

// ------------------------------------------------------------ audience and issuer

TEST_F(KeySetAttackTest, AudienceAndIssuerWithAKeySetOfOurOwn) {
  const testing::KeyPair key = testing::GenerateEcP256();
  const std::string kid = "own-1";
  const std::string jwks = "{\"keys\":[" + testing::PublicJwkJson(key.pkey.get(), kid) + "]}";
  auto handler = std::make_shared<StaticJwks>(jwks);
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.io_threads = 1;
  auto server = http::Server::Create(options, handler);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Start();
  struct StopAtEnd {
    http::Server* s;
    ~StopAtEnd() { s->Stop(); }
  } stop_at_end{server->get()};
  const std::string issuer = "https://idp.tessera-test.example";

  TokenSettings settings;
  settings.jwk_url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/jwks";
  settings.audience = kAudience;
  settings.issuer = issuer;
  auto verifier = KeySetVerifier(settings);
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  auto token = [&](const json::object& claims) {
    return testing::Es256Token(HeaderJson("ES256", kid), json::serialize(claims), key.pkey.get());
  };
  const json::object good = GoodClaims(issuer, now);
  EXPECT_TRUE(Accepted(*verifier, token(good), now));
  json::object in_array = good;
  in_array["aud"] = json::array{"https://other.example/api", kAudience};
  EXPECT_TRUE(Accepted(*verifier, token(in_array), now)) << "an aud array holding ours";

  std::vector<std::pair<std::string, json::object>> refused;
  auto with = [&](const std::string& what, const char* name, json::value v) {
    json::object c = good;
    c[name] = std::move(v);
    refused.emplace_back(what, std::move(c));
  };
  auto without = [&](const std::string& what, const char* name) {
    json::object c = good;
    c.erase(name);
    refused.emplace_back(what, std::move(c));
  };
  without("aud missing", "aud");
  with("aud of another API", "aud", "https://other.example/api");
  with("aud with a trailing slash", "aud", json::string(std::string(kAudience) + "/"));
  with("aud array without ours", "aud", json::array{"https://other.example/api", "cubejs"});
  with("aud empty array", "aud", json::array{});
  with("aud not a string", "aud", 42);
  without("iss missing", "iss");
  with("iss with a trailing slash", "iss", json::string(issuer + "/"));
  with("iss of another provider", "iss", "https://other-idp.example");
  with("iss of the real provider", "iss", json::string(*issuer_));
  with("iss in an array", "iss", json::array{issuer});
  without("exp missing", "exp");
  with("exp passed", "exp", now - 3600);
  for (const auto& [what, claims] : refused) {
    EXPECT_TRUE(Refused(*verifier, token(claims), now)) << what;
  }
  // A token from another key with the same kid: refused.
  EXPECT_TRUE(Refused(*verifier,
                      testing::Es256Token(HeaderJson("ES256", kid), json::serialize(good),
                                          testing::AttackerEc().pkey.get()),
                      now));
}

// ------------------------------------------------------------ kid flood

TEST_F(KeySetAttackTest, AFloodOfRandomKidsCostsAtMostOneFetch) {
  auto verifier = KeySetVerifier();
  ASSERT_NE(verifier, nullptr);
  const int64_t now = SystemSeconds();
  const std::string es = Token("ES256");
  ASSERT_TRUE(Accepted(*verifier, es, now));
  Parts p = Split(es);
  std::mt19937_64 rng(std::random_device{}());
  const int before = JwksFetches();
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string kid = "es256-" + std::to_string(rng());
    std::string header = jose::EncodeBase64Url(HeaderJson("ES256", kid));
    if (!verifier->Verify(header + "." + p.payload_b64 + "." + p.signature_b64, now).ok()) ++refused;
  }
  const int after = JwksFetches();
  EXPECT_EQ(refused, 1000);
  EXPECT_LE(after, before + 1) << "fetches at the provider during the flood";
  EXPECT_TRUE(Accepted(*verifier, es, now));
}

}  // namespace
}  // namespace tessera::identity
