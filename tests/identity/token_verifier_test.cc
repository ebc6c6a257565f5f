// TokenVerifier against a catalogue of known JWT attacks: algorithm
// confusion, "none", psychic ECDSA signatures, header-embedded keys and key
// URLs, crit, non-canonical encodings, duplicate members, invalid UTF-8,
// explicit typing, size limits, and nested / encrypted tokens.
//
// Tokens are assembled from raw text and signed with OpenSSL directly (see
// token_test_support.h), so the verifier is never checked against itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "identity/jose/algorithms.h"
#include "identity/jose/jwe.h"
#include "identity/jose/jws.h"
#include "identity/token_verifier.h"
#include "token_test_support.h"

namespace tessera::identity {
namespace {

using jose::Algorithm;
using jose::ContentEncryption;
using namespace tessera::identity::testing;
namespace json = boost::json;

// A second secret of the same size: "signed by someone else".
const std::string kOtherSecret = "ZYXWVUTSRQPONMLKJIHGFEDCBA987654";
// TESSERA_JWE_KEY as a raw 32-byte shared secret.
const std::string kJweSecret = "jwe-shared-secret-0123456789abcd";

TokenVerifier SecretVerifier(const TokenSettings& s = SecretSettings()) {
  absl::StatusOr<TokenPolicy> p = BuildTokenPolicy(s);
  EXPECT_TRUE(p.ok()) << p.status();
  return TokenVerifier(p.ok() ? *std::move(p) : TokenPolicy{});
}

TokenVerifier KeyVerifier(const std::string& key) {
  TokenSettings s;
  s.jwt_key = key;
  return SecretVerifier(s);
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = token.find('.', start);
    out.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ".";
    out += parts[i];
  }
  return out;
}

std::string Decode(std::string_view b64) {
  absl::StatusOr<std::string> d = jose::DecodeBase64Url(b64);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : std::string();
}

// ------------------------------------------------------------------ basics

TEST(TokenVerifierTest, ValidHs256AcceptedWithClaims) {
  TokenVerifier v = SecretVerifier();
  std::string token = Hs256(ClaimsJson("\"iss\":\"https://issuer.example\",\"role\":\"admin\""));
  auto r = v.Verify(token, kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  const VerifiedToken& t = **r;
  EXPECT_EQ(t.claims.at("sub").as_string(), "alice");
  EXPECT_EQ(t.claims.at("role").as_string(), "admin");
  EXPECT_EQ(t.subject, "alice");
  EXPECT_EQ(t.issuer, "https://issuer.example");
  EXPECT_TRUE(t.has_exp);
  EXPECT_EQ(t.exp, kNow + 3600);
  EXPECT_FALSE(t.encrypted);
  EXPECT_EQ(t.fingerprint.size(), 64u);
  EXPECT_EQ(t.fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(TokenVerifierTest, FingerprintStableForSameClaimsAndDistinctOtherwise) {
  TokenVerifier v = SecretVerifier();
  const std::string claims = ClaimsJson("\"tenant\":\"t1\"");
  auto a1 = v.Verify(Hs256(claims), kNow);
  auto a2 = v.Verify(Hs256(claims), kNow + 10);
  // Same claims, another header and insignificant whitespace: another token,
  // the same security context.
  std::string spaced = claims;
  spaced.insert(1, " \n ");
  auto a3 = v.Verify(HsToken(R"({"alg":"HS256"})", spaced, kSecret32), kNow);
  auto b = v.Verify(Hs256(ClaimsJson("\"tenant\":\"t2\"")), kNow);
  auto c = v.Verify(Hs256(ClaimsJson("\"tenant\":\"t1\"", kNow + 3601)), kNow);
  ASSERT_TRUE(a1.ok() && a2.ok() && a3.ok() && b.ok() && c.ok());
  EXPECT_EQ((*a1)->fingerprint, (*a2)->fingerprint);
  EXPECT_EQ((*a1)->fingerprint, (*a3)->fingerprint);
  EXPECT_NE((*a1)->fingerprint, (*b)->fingerprint);
  EXPECT_NE((*a1)->fingerprint, (*c)->fingerprint);
}

TEST(TokenVerifierTest, HugeExpAcceptedAndClamped) {
  TokenVerifier v = SecretVerifier();
  auto r = v.Verify(Hs256("{\"exp\":1e300}"), kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)->has_exp);
  EXPECT_GT((*r)->exp, kNow);
  auto r2 = v.Verify(Hs256("{\"exp\":18446744073709551615}"), kNow);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_GT((*r2)->exp, kNow);
}

TEST(TokenVerifierTest, ExpiredTokenRefused) {
  TokenVerifier v = SecretVerifier();
  std::string token = Hs256(ClaimsJson("", kNow + 100));
  EXPECT_TRUE(Accepted(v, token, kNow + 159));
  EXPECT_TRUE(Refused(v, token, kNow + 160));
}

TEST(TokenVerifierTest, WrongSecretRefused) {
  TokenVerifier v = SecretVerifier();
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(), kOtherSecret)));
}

TEST(TokenVerifierTest, LongSecretVerifiesEveryHmacAlgorithm) {
  TokenVerifier v = SecretVerifier(SecretSettings(kSecret64));
  EXPECT_TRUE(Accepted(v, HsToken(R"({"alg":"HS256"})", ClaimsJson(), kSecret64, EVP_sha256())));
  EXPECT_TRUE(Accepted(v, HsToken(R"({"alg":"HS384"})", ClaimsJson(), kSecret64, EVP_sha384())));
  EXPECT_TRUE(Accepted(v, HsToken(R"({"alg":"HS512"})", ClaimsJson(), kSecret64, EVP_sha512())));
  // The header's alg must name the MAC actually computed.
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS512"})", ClaimsJson(), kSecret64, EVP_sha256())));
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256"})", ClaimsJson(), kSecret64, EVP_sha512())));
  // A 32-byte secret verifies HS256 only.
  TokenVerifier short_secret = SecretVerifier();
  EXPECT_TRUE(Refused(short_secret, HsToken(R"({"alg":"HS512"})", ClaimsJson(), kSecret32, EVP_sha512())));
}

TEST(TokenVerifierTest, DeeplyNestedOrOutOfRangeClaimsRefused) {
  TokenVerifier v = SecretVerifier();
  std::string deep = "{\"exp\":" + std::to_string(kNow + 3600) + ",\"x\":" + std::string(2000, '[') +
                     std::string(2000, ']') + "}";
  EXPECT_TRUE(Refused(v, Hs256(deep)));
  EXPECT_TRUE(Refused(v, Hs256("{\"exp\":1e400}")));
  EXPECT_TRUE(Refused(v, Hs256("{\"exp\":-1e400}")));
}

// ------------------------------------------------------------------ alg none

TEST(TokenVerifierTest, AlgNoneRefusedInEverySpelling) {
  TokenVerifier v = SecretVerifier();
  const std::string payload = B64(ClaimsJson());
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    std::string header = B64(std::string("{\"alg\":\"") + alg + "\",\"typ\":\"JWT\"}");
    std::string unsigned_token = header + "." + payload + ".";
    EXPECT_TRUE(Refused(v, unsigned_token)) << alg << " with empty signature";
    // A non-empty "signature": the secret's HMAC over the input, and junk.
    std::string input = header + "." + payload;
    EXPECT_TRUE(Refused(v, input + "." + B64(Hmac(EVP_sha256(), kSecret32, input)))) << alg;
    EXPECT_TRUE(Refused(v, input + "." + B64("signature"))) << alg;
  }
}

// ------------------------------------------------------------------ key confusion

std::vector<std::pair<std::string, std::string>> PublicKeySerialisations(const KeyPair& kp) {
  std::string pem = kp.public_pem;
  std::string pem_no_newline = pem;
  while (!pem_no_newline.empty() && pem_no_newline.back() == '\n') pem_no_newline.pop_back();
  std::vector<std::pair<std::string, std::string>> out = {
      {"PEM", pem},
      {"PEM without trailing newline", pem_no_newline},
      {"DER SPKI", SpkiDer(kp.pkey.get())},
      {"JWK JSON", PublicJwkJson(kp.pkey.get())},
  };
  if (EVP_PKEY_get_base_id(kp.pkey.get()) == EVP_PKEY_RSA) {
    out.push_back({"raw modulus", RsaModulus(kp.pkey.get())});
  } else {
    out.push_back({"raw x||y", BnParam(kp.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32) +
                                   BnParam(kp.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32)});
  }
  return out;
}

TEST(TokenVerifierTest, RsaToHmacKeyConfusionRefused) {
  TokenVerifier v = KeyVerifier(RealRsa().public_pem);
  // Control: the real key's own token passes.
  ASSERT_TRUE(Accepted(v, Rs256Token(R"({"alg":"RS256","typ":"JWT"})", ClaimsJson(), RealRsa().pkey.get())));
  for (const auto& [name, secret] : PublicKeySerialisations(RealRsa())) {
    ASSERT_FALSE(secret.empty()) << name;
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","typ":"JWT"})", ClaimsJson(), secret))) << name;
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS384"})", ClaimsJson(), secret, EVP_sha384()))) << name;
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS512"})", ClaimsJson(), secret, EVP_sha512()))) << name;
    // The HMAC under the header the key is bound to.
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"RS256"})", ClaimsJson(), secret))) << name;
  }
}

TEST(TokenVerifierTest, EcToHmacKeyConfusionRefused) {
  TokenVerifier v = KeyVerifier(RealEc().public_pem);
  ASSERT_TRUE(Accepted(v, Es256Token(R"({"alg":"ES256"})", ClaimsJson(), RealEc().pkey.get())));
  for (const auto& [name, secret] : PublicKeySerialisations(RealEc())) {
    ASSERT_FALSE(secret.empty()) << name;
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","typ":"JWT"})", ClaimsJson(), secret))) << name;
    EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"ES256"})", ClaimsJson(), secret))) << name;
  }
}

TEST(TokenVerifierTest, RsaSignatureAgainstOtherRsaAlgorithmRefused) {
  TokenVerifier v = KeyVerifier(RealRsa().public_pem);
  // Bound to RS256 only: the same key under PS256/RS512 headers is refused.
  std::string input = SigningInput(R"({"alg":"RS512"})", ClaimsJson());
  EXPECT_TRUE(Refused(v, input + "." + B64(RawSign(RealRsa().pkey.get(), EVP_sha512(), input))));
  EXPECT_TRUE(Refused(v, Rs256Token(R"({"alg":"PS256"})", ClaimsJson(), RealRsa().pkey.get())));
}

TEST(TokenVerifierTest, HmacWithEmptyOrZeroKeyRefused) {
  TokenVerifier v = SecretVerifier();
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(), "")));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(), std::string(32, '\0'))));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(), std::string(64, '\0'))));
}

// ------------------------------------------------------------------ psychic ECDSA

std::string Hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(TokenVerifierTest, GenuineEs256Accepted) {
  TokenVerifier v = KeyVerifier(RealEc().public_pem);
  EXPECT_TRUE(Accepted(v, Es256Token(R"({"alg":"ES256","typ":"JWT"})", ClaimsJson(), RealEc().pkey.get())));
}

TEST(TokenVerifierTest, PsychicEcdsaSignaturesRefused) {
  TokenVerifier v = KeyVerifier(RealEc().public_pem);
  const std::string input = SigningInput(R"({"alg":"ES256","typ":"JWT"})", ClaimsJson());
  const std::string n = Hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
  std::string one(32, '\0');
  one.back() = 1;
  const std::vector<std::pair<std::string, std::string>> sigs = {
      {"64 zero bytes", std::string(64, '\0')},
      {"r=0,s=1", std::string(32, '\0') + one},
      {"r=1,s=0", one + std::string(32, '\0')},
      {"r=n,s=n", n + n},
      {"r=n,s=1", n + one},
      {"32 zero bytes", std::string(32, '\0')},
  };
  for (const auto& [name, sig] : sigs) {
    EXPECT_TRUE(Refused(v, input + "." + B64(sig))) << name;
  }
}

TEST(TokenVerifierTest, DerEncodedEcdsaSignatureRefused) {
  TokenVerifier v = KeyVerifier(RealEc().public_pem);
  const std::string input = SigningInput(R"({"alg":"ES256","typ":"JWT"})", ClaimsJson());
  std::string der = RawSign(RealEc().pkey.get(), EVP_sha256(), input);
  // The same signature in P1363 form verifies: only the encoding is wrong.
  ASSERT_TRUE(Accepted(v, input + "." + B64(DerToP1363(der, 32))));
  EXPECT_TRUE(Refused(v, input + "." + B64(der)));
}

TEST(TokenVerifierTest, EdDsaAcceptedAndForgedRefused) {
  TokenVerifier v = KeyVerifier(RealEd25519().public_pem);
  EXPECT_TRUE(Accepted(v, EdDsaToken(R"({"alg":"EdDSA"})", ClaimsJson(), RealEd25519().pkey.get())));
  const std::string input = SigningInput(R"({"alg":"EdDSA"})", ClaimsJson());
  EXPECT_TRUE(Refused(v, input + "." + B64(std::string(64, '\0'))));
}

// ------------------------------------------------------------------ structure

TEST(TokenVerifierTest, WrongSegmentCountsRefused) {
  TokenVerifier v = SecretVerifier();
  for (const char* t : {"a.b", "a.b.c.d", "a.b.", ".b.c", "", "....", ".", "..", "a", "a.b.c.d.e.f"}) {
    EXPECT_TRUE(Refused(v, t)) << "'" << t << "'";
  }
  const std::string valid = Hs256(ClaimsJson());
  std::vector<std::string> p = Split(valid);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(Refused(v, p[0] + "." + p[1])) << "signature stripped with its dot";
  EXPECT_TRUE(Refused(v, p[0] + "." + p[1] + ".")) << "empty signature";
  EXPECT_TRUE(Refused(v, "." + p[1] + "." + p[2])) << "no header";
  EXPECT_TRUE(Refused(v, p[0] + ".." + p[2])) << "no payload";
  EXPECT_TRUE(Refused(v, valid + "." + p[2])) << "extra segment";
  EXPECT_TRUE(Refused(v, valid + ".")) << "trailing dot";
}

TEST(TokenVerifierTest, SignatureCutOrExtendedByOneCharRefused) {
  TokenVerifier v = SecretVerifier();
  const std::string valid = Hs256(ClaimsJson());
  ASSERT_TRUE(Accepted(v, valid));
  EXPECT_TRUE(Refused(v, valid.substr(0, valid.size() - 1)));
  for (char c : {'A', 'Q', 'g', 'w', '-', '_'}) {
    EXPECT_TRUE(Refused(v, valid + c)) << c;
  }
  // A changed last character (non-canonical trailing bits / another MAC).
  std::string changed = valid;
  changed.back() = changed.back() == 'A' ? 'B' : 'A';
  EXPECT_TRUE(Refused(v, changed));
}

// ------------------------------------------------------------------ header keys & URLs

TEST(TokenVerifierTest, EmbeddedJwkHeaderRefused) {
  TokenVerifier v = KeyVerifier(RealRsa().public_pem);
  const KeyPair& attacker = AttackerRsa();
  std::string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"jwk\":" + PublicJwkJson(attacker.pkey.get()) + "}";
  EXPECT_TRUE(Refused(v, Rs256Token(header, ClaimsJson(), attacker.pkey.get())));
  // The same with an HMAC key in the header, against a secret policy.
  TokenVerifier hs = SecretVerifier();
  std::string oct = "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"" + B64(kOtherSecret) + "\"}}";
  EXPECT_TRUE(Refused(hs, HsToken(oct, ClaimsJson(), kOtherSecret)));
  // And an attacker EC key in an ES256 header.
  TokenVerifier es = KeyVerifier(RealEc().public_pem);
  std::string ec = "{\"alg\":\"ES256\",\"jwk\":" + PublicJwkJson(AttackerEc().pkey.get()) + "}";
  EXPECT_TRUE(Refused(es, Es256Token(ec, ClaimsJson(), AttackerEc().pkey.get())));
}

// A TCP listener on 127.0.0.1 that counts connection attempts without ever
// blocking (the socket is non-blocking, attempts are polled for).
class Listener {
 public:
  Listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    EXPECT_GE(fd_, 0) << "socket: " << errno;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << errno;
    EXPECT_EQ(listen(fd_, 16), 0) << errno;
    socklen_t len = sizeof addr;
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  int port() const { return port_; }

  // Connection attempts seen so far (accepting and closing them).
  int Attempts(int timeout_ms) {
    int n = 0;
    pollfd p{fd_, POLLIN, 0};
    while (poll(&p, 1, timeout_ms) > 0) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) break;
      close(c);
      ++n;
      timeout_ms = 0;
    }
    return n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(TokenVerifierTest, JkuAndX5uAreNeverFetched) {
  Listener listener;
  const std::string base = "http://127.0.0.1:" + std::to_string(listener.port());
  TokenVerifier v = KeyVerifier(RealRsa().public_pem);
  const std::vector<std::string> headers = {
      "{\"alg\":\"RS256\",\"jku\":\"" + base + "/jwks.json\"}",
      "{\"alg\":\"RS256\",\"x5u\":\"" + base + "/cert.pem\"}",
      "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"jku\":\"" + base + "/jwks.json\",\"x5u\":\"" + base + "/cert.pem\"}",
  };
  for (const std::string& h : headers) {
    EXPECT_TRUE(Refused(v, Rs256Token(h, ClaimsJson(), AttackerRsa().pkey.get()))) << h;
    EXPECT_TRUE(Accepted(v, Rs256Token(h, ClaimsJson(), RealRsa().pkey.get()))) << h;
  }
  EXPECT_EQ(listener.Attempts(200), 0) << "the verifier connected to a URL from a token header";
  // The listener does see connections (so the zero above means something).
  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(listener.port()));
  EXPECT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << errno;
  EXPECT_EQ(listener.Attempts(2000), 1);
  close(client);
}

TEST(TokenVerifierTest, X5cWithAttackerCertificateRefused) {
  TokenVerifier v = KeyVerifier(RealRsa().public_pem);
  const KeyPair& attacker = AttackerRsa();
  std::string cert = StdBase64(SelfSignedCertDer(attacker.pkey.get(), "attacker"));
  ASSERT_FALSE(cert.empty());
  std::string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"" + cert + "\"]}";
  EXPECT_TRUE(Refused(v, Rs256Token(header, ClaimsJson(), attacker.pkey.get())));
  // A chain claiming to be issued by the real key changes nothing either.
  std::string real_cert = StdBase64(SelfSignedCertDer(RealRsa().pkey.get(), "real"));
  std::string chain = "{\"alg\":\"RS256\",\"x5c\":[\"" + cert + "\",\"" + real_cert + "\"]}";
  EXPECT_TRUE(Refused(v, Rs256Token(chain, ClaimsJson(), attacker.pkey.get())));
}

// ------------------------------------------------------------------ kid

std::vector<std::string> HostileKids() {
  return {"../../../../dev/null", "/etc/passwd", "' OR '1'='1", "x\" ; rm -rf /",
          "kid\nInjected-Log-Line", std::string(10 * 1024, 'k')};
}

std::string KidHeader(const std::string& kid, const char* alg = "HS256") {
  json::object h;
  h["alg"] = alg;
  h["kid"] = kid;
  return json::serialize(h);
}

TEST(TokenVerifierTest, HostileKidWithWrongSignatureRefused) {
  TokenSettings s = SecretSettings();
  s.max_token_bytes = 64 * 1024;
  TokenVerifier v = SecretVerifier(s);
  for (const std::string& kid : HostileKids()) {
    // Signed with the empty key, the /dev/null contents, and another secret.
    for (const std::string& key : {std::string(), kOtherSecret}) {
      EXPECT_TRUE(Refused(v, HsToken(KidHeader(kid), ClaimsJson(), key))) << kid.substr(0, 40);
    }
  }
}

// CandidateKeys (key_set.cc): "a key configured without a kid (e.g. one
// shared secret) does not contradict any kid" — the token's kid is then
// ignored: it is neither a path, nor a query, nor a lookup key.
TEST(TokenVerifierTest, KidIgnoredForKeyConfiguredWithoutKid) {
  TokenSettings s = SecretSettings();
  s.max_token_bytes = 64 * 1024;
  TokenVerifier v = SecretVerifier(s);
  for (const std::string& kid : HostileKids()) {
    EXPECT_TRUE(Accepted(v, HsToken(KidHeader(kid), ClaimsJson(), kSecret32))) << kid.substr(0, 40);
  }
}

TEST(TokenVerifierTest, KidSelectsAmongKeysThatHaveKids) {
  std::string set = "{\"keys\":[" + PublicJwkJson(RealEc().pkey.get(), "key-a") + "," +
                    PublicJwkJson(AttackerEc().pkey.get(), "key-b") + "]}";
  TokenVerifier v = KeyVerifier(set);
  EVP_PKEY* a = RealEc().pkey.get();
  EVP_PKEY* b = AttackerEc().pkey.get();
  EXPECT_TRUE(Accepted(v, Es256Token(R"({"alg":"ES256","kid":"key-a"})", ClaimsJson(), a)));
  EXPECT_TRUE(Accepted(v, Es256Token(R"({"alg":"ES256","kid":"key-b"})", ClaimsJson(), b)));
  EXPECT_TRUE(Refused(v, Es256Token(R"({"alg":"ES256","kid":"key-b"})", ClaimsJson(), a)));
  EXPECT_TRUE(Refused(v, Es256Token(R"({"alg":"ES256","kid":"key-c"})", ClaimsJson(), a)));
  for (const std::string& kid : HostileKids()) {
    EXPECT_TRUE(Refused(v, Es256Token(KidHeader(kid, "ES256"), ClaimsJson(), a))) << kid.substr(0, 40);
  }
  // Without a kid every key bound to the algorithm is tried.
  EXPECT_TRUE(Accepted(v, Es256Token(R"({"alg":"ES256"})", ClaimsJson(), b)));
}

TEST(TokenVerifierTest, KidNotAStringRefused) {
  TokenVerifier v = SecretVerifier();
  for (const char* h : {R"({"alg":"HS256","kid":1})", R"({"alg":"HS256","kid":null})",
                        R"({"alg":"HS256","kid":["a"]})", R"({"alg":"HS256","kid":{}})"}) {
    EXPECT_TRUE(Refused(v, HsToken(h, ClaimsJson(), kSecret32))) << h;
  }
}

// ------------------------------------------------------------------ crit

TEST(TokenVerifierTest, CritRefused) {
  TokenVerifier v = SecretVerifier();
  // Control: an unknown header parameter that is not critical is ignored.
  ASSERT_TRUE(Accepted(v, HsToken(R"({"alg":"HS256","foo":1})", ClaimsJson(), kSecret32)));
  const std::vector<std::string> headers = {
      R"({"alg":"HS256","crit":["exp"],"exp":1})",   // registered JWT name
      R"({"alg":"HS256","crit":["alg"]})",           // registered JWS name
      R"({"alg":"HS256","crit":["foo"],"foo":1})",   // unknown extension
      R"({"alg":"HS256","crit":["foo"]})",           // listed but absent
      R"({"alg":"HS256","crit":[]})",                // empty
      R"({"alg":"HS256","crit":"foo","foo":1})",     // not an array
      R"({"alg":"HS256","crit":[1]})",               // not strings
      R"({"alg":"HS256","crit":["b64"],"b64":false})",  // RFC 7797 unsupported
  };
  for (const std::string& h : headers) {
    EXPECT_TRUE(Refused(v, HsToken(h, ClaimsJson(), kSecret32))) << h;
  }
}

// ------------------------------------------------------------------ encodings

TEST(TokenVerifierTest, NonCanonicalBase64Refused) {
  TokenVerifier v = SecretVerifier();
  const std::string valid = Hs256(ClaimsJson());
  ASSERT_TRUE(Accepted(v, valid));
  const std::vector<std::string> parts = Split(valid);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const std::string& pad : {std::string("="), std::string("==")}) {
      std::vector<std::string> p = parts;
      p[i] += pad;
      EXPECT_TRUE(Refused(v, Join(p))) << "segment " << i << " + '" << pad << "'";
    }
    for (char c : {'+', '/', ' ', '\n', '\t', '\r', '%'}) {
      std::vector<std::string> p = parts;
      p[i].insert(p[i].size() / 2, 1, c);
      EXPECT_TRUE(Refused(v, Join(p))) << "segment " << i << " with char " << static_cast<int>(c);
    }
    // Standard base64 alphabet instead of url-safe.
    std::vector<std::string> p = parts;
    for (char& ch : p[i]) {
      if (ch == '-') ch = '+';
      if (ch == '_') ch = '/';
    }
    if (p[i] != parts[i]) {
      EXPECT_TRUE(Refused(v, Join(p))) << "segment " << i << " std alphabet";
    }
  }
  EXPECT_TRUE(Refused(v, " " + valid));
  EXPECT_TRUE(Refused(v, valid + "\n"));
}

// ------------------------------------------------------------------ JSON

TEST(TokenVerifierTest, DuplicateHeaderMembersRefused) {
  TokenVerifier v = SecretVerifier();
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","alg":"HS256"})", ClaimsJson(), kSecret32)));
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"none","alg":"HS256"})", ClaimsJson(), kSecret32)));
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","typ":"JWT","typ":"JWT"})", ClaimsJson(), kSecret32)));
}

TEST(TokenVerifierTest, DuplicatePayloadMembersRefused) {
  TokenVerifier v = SecretVerifier();
  const std::string exp = std::to_string(kNow + 3600);
  EXPECT_TRUE(Refused(v, Hs256("{\"sub\":\"a\",\"sub\":\"b\",\"exp\":" + exp + "}")));
  EXPECT_TRUE(Refused(v, Hs256("{\"exp\":" + exp + ",\"exp\":" + std::to_string(kNow + 999999) + "}")));
  // Nested, as in a security context: {"ctx":{"role":"user","role":"admin"}}.
  EXPECT_TRUE(Refused(v, Hs256("{\"exp\":" + exp + ",\"ctx\":{\"role\":\"user\",\"role\":\"admin\"}}")));
  EXPECT_TRUE(Refused(v, Hs256("{\"exp\":" + exp + ",\"a\":[{\"x\":1,\"x\":2}]}")));
  // Control: the same names at different depths are fine.
  EXPECT_TRUE(Accepted(v, Hs256("{\"exp\":" + exp + ",\"role\":\"a\",\"ctx\":{\"role\":\"b\"}}")));
}

TEST(TokenVerifierTest, NonObjectPayloadsRefused) {
  TokenVerifier v = SecretVerifier();
  for (const char* payload : {"\"string\"", "[1]", "1", "null", "true", "", " ", "{}x", "{} {}", "{"}) {
    EXPECT_TRUE(Refused(v, Hs256(payload))) << payload;
  }
}

TEST(TokenVerifierTest, InvalidUtf8InPayloadRefused) {
  TokenVerifier v = SecretVerifier();
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(std::string("\"name\":\"a") + '\xFF' + "b\""))));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(std::string("\"name\":\"") + '\xC0' + '\xAF' + "\""))));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson("\"name\":\"\\ud800\""))));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson("\"name\":\"\\udc00x\""))));
  EXPECT_TRUE(Refused(v, Hs256(ClaimsJson(std::string("\"n") + '\xFF' + "\":1"))));  // in a name
  // Control: valid UTF-8 and a valid surrogate pair are accepted.
  EXPECT_TRUE(Accepted(v, Hs256(ClaimsJson("\"name\":\"caf\xC3\xA9 \\ud83d\\ude00\""))));
}

TEST(TokenVerifierTest, InvalidUtf8InHeaderRefused) {
  TokenVerifier v = SecretVerifier();
  EXPECT_TRUE(Refused(v, HsToken(std::string("{\"alg\":\"HS256\",\"x\":\"") + '\xFF' + "\"}", ClaimsJson(), kSecret32)));
  EXPECT_TRUE(Refused(v, HsToken(std::string("{\"alg\":\"HS256\",\"x\":\"") + '\xC0' + '\xAF' + "\"}", ClaimsJson(), kSecret32)));
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","x":"\ud800"})", ClaimsJson(), kSecret32)));
}

// ------------------------------------------------------------------ typ

TEST(TokenVerifierTest, JwtTypesAcceptedOtherTypesRefused) {
  TokenVerifier v = SecretVerifier();
  for (const char* typ : {"JWT", "jwt", "at+jwt", "application/at+jwt"}) {
    EXPECT_TRUE(Accepted(v, HsToken(std::string("{\"alg\":\"HS256\",\"typ\":\"") + typ + "\"}", ClaimsJson(), kSecret32)))
        << typ;
  }
  for (const char* typ : {"secevent+jwt", "logout+jwt", "JOSE", ""}) {
    EXPECT_TRUE(Refused(v, HsToken(std::string("{\"alg\":\"HS256\",\"typ\":\"") + typ + "\"}", ClaimsJson(), kSecret32)))
        << typ;
  }
  EXPECT_TRUE(Refused(v, HsToken(R"({"alg":"HS256","typ":1})", ClaimsJson(), kSecret32)));
}

// ------------------------------------------------------------------ size

// A valid HS256 token of exactly `size` bytes (header whitespace and a padding
// claim adjust the length).
std::string TokenOfSize(std::size_t size) {
  for (int spaces = 0; spaces < 4; ++spaces) {
    std::string header = "{\"alg\":\"HS256\"" + std::string(static_cast<std::size_t>(spaces), ' ') + "}";
    auto make = [&](std::size_t fill) {
      return HsToken(header, ClaimsJson("\"pad\":\"" + std::string(fill, 'x') + "\""), kSecret32);
    };
    // Each 3 payload bytes add 4 token bytes: start a little below the target.
    std::size_t base = make(0).size();
    std::size_t fill = size > base + 8 ? (size - base) * 3 / 4 - 6 : 0;
    for (;; ++fill) {
      std::string token = make(fill);
      if (token.size() == size) return token;
      if (token.size() > size) break;
    }
  }
  ADD_FAILURE() << "cannot make a token of " << size << " bytes";
  return std::string();
}

TEST(TokenVerifierTest, TokenAtSizeLimitAcceptedAndOneByteMoreRefused) {
  TokenSettings s = SecretSettings();
  ASSERT_EQ(s.max_token_bytes, 8192);
  TokenVerifier v = SecretVerifier(s);
  std::string at_limit = TokenOfSize(8192);
  std::string over = TokenOfSize(8193);
  ASSERT_EQ(at_limit.size(), 8192u);
  ASSERT_EQ(over.size(), 8193u);
  EXPECT_TRUE(Accepted(v, at_limit));
  EXPECT_TRUE(Refused(v, over));
  EXPECT_TRUE(Refused(v, std::string(1 << 20, 'A')));
}

// ------------------------------------------------------------------ JWE

json::object CtyJwt() { return json::object{{"cty", "JWT"}}; }

std::string Encrypt(Algorithm alg, ContentEncryption enc, const jose::Jwk& key, const json::object& header,
                    std::string_view plaintext) {
  absl::StatusOr<std::string> jwe = jose::EncryptCompactJwe(alg, enc, key, header, plaintext);
  EXPECT_TRUE(jwe.ok()) << jwe.status();
  return jwe.ok() ? *jwe : std::string("encryption-failed");
}

TokenSettings JweSettings(const std::string& jwe_key) {
  TokenSettings s = SecretSettings();
  s.jwe_key = jwe_key;
  return s;
}

TEST(TokenVerifierTest, NestedJweForRsaKeyAccepted) {
  TokenVerifier v = SecretVerifier(JweSettings(RealRsa().private_pem));
  jose::Jwk recipient = JwkFromPem(RealRsa().public_pem);
  const std::string inner = Hs256(ClaimsJson("\"role\":\"nested\""));
  for (Algorithm alg : {Algorithm::kRsaOaep256, Algorithm::kRsaOaep}) {
    for (ContentEncryption enc : {ContentEncryption::kA256GCM, ContentEncryption::kA128CbcHs256}) {
      std::string jwe = Encrypt(alg, enc, recipient, CtyJwt(), inner);
      auto r = v.Verify(jwe, kNow);
      ASSERT_TRUE(r.ok()) << jose::AlgorithmName(alg) << "/" << jose::ContentEncryptionName(enc) << ": " << r.status();
      EXPECT_TRUE((*r)->encrypted);
      EXPECT_EQ((*r)->claims.at("role").as_string(), "nested");
    }
  }
}

TEST(TokenVerifierTest, NestedJweForEcKeyAccepted) {
  TokenVerifier v = SecretVerifier(JweSettings(RealEc().private_pem));
  jose::Jwk recipient = JwkFromPem(RealEc().public_pem);
  const std::string inner = Hs256(ClaimsJson());
  for (Algorithm alg : {Algorithm::kEcdhEs, Algorithm::kEcdhEsA256KW}) {
    std::string jwe = Encrypt(alg, ContentEncryption::kA256GCM, recipient, CtyJwt(), inner);
    auto r = v.Verify(jwe, kNow);
    ASSERT_TRUE(r.ok()) << jose::AlgorithmName(alg) << ": " << r.status();
    EXPECT_TRUE((*r)->encrypted);
  }
}

TEST(TokenVerifierTest, NestedJweWithSharedSecretAccepted) {
  TokenVerifier v = SecretVerifier(JweSettings(kJweSecret));
  const std::string inner = Hs256(ClaimsJson());
  for (Algorithm alg : {Algorithm::kDir, Algorithm::kA256KW}) {
    std::string jwe = Encrypt(alg, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(), inner);
    auto r = v.Verify(jwe, kNow);
    ASSERT_TRUE(r.ok()) << jose::AlgorithmName(alg) << ": " << r.status();
    EXPECT_TRUE((*r)->encrypted);
  }
}

TEST(TokenVerifierTest, BareJwsRefusedWhenEncryptionRequired) {
  TokenSettings s = JweSettings(kJweSecret);
  s.jwe_required = true;
  TokenVerifier v = SecretVerifier(s);
  const std::string inner = Hs256(ClaimsJson());
  EXPECT_TRUE(Refused(v, inner));
  EXPECT_TRUE(Accepted(v, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(), inner)));
}

TEST(TokenVerifierTest, JweRefusedWithoutDecryptionKey) {
  TokenVerifier v = SecretVerifier();
  std::string jwe = Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(),
                            Hs256(ClaimsJson()));
  EXPECT_TRUE(Refused(v, jwe));
}

TEST(TokenVerifierTest, NestedUnsignedInnerTokenRefused) {
  TokenVerifier v = SecretVerifier(JweSettings(RealRsa().private_pem));
  jose::Jwk recipient = JwkFromPem(RealRsa().public_pem);
  const std::string payload = B64(ClaimsJson());
  for (const char* alg : {"none", "None"}) {
    std::string header = B64(std::string("{\"alg\":\"") + alg + "\"}");
    for (const std::string& inner : {header + "." + payload + ".", header + "." + payload + "." + B64("x")}) {
      EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA256GCM, recipient, CtyJwt(), inner)))
          << inner;
    }
  }
  // Same with the shared-secret JWE: the inner token is still checked.
  TokenVerifier d = SecretVerifier(JweSettings(kJweSecret));
  EXPECT_TRUE(Refused(d, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(),
                                 B64("{\"alg\":\"none\"}") + "." + payload + ".")));
}

TEST(TokenVerifierTest, NestedInnerTokenSignedByAnotherSecretRefused) {
  TokenVerifier v = SecretVerifier(JweSettings(RealRsa().private_pem));
  jose::Jwk recipient = JwkFromPem(RealRsa().public_pem);
  std::string inner = Hs256(ClaimsJson(), kOtherSecret);
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA256GCM, recipient, CtyJwt(), inner)));
  // Nor is the decryption secret a signing key.
  TokenVerifier d = SecretVerifier(JweSettings(kJweSecret));
  EXPECT_TRUE(Refused(d, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(),
                                 Hs256(ClaimsJson(), kJweSecret))));
}

TEST(TokenVerifierTest, PublicKeyJweWithBareClaimsRefusedSymmetricAccepted) {
  const std::string claims = ClaimsJson("\"role\":\"direct\"");
  TokenVerifier rsa = SecretVerifier(JweSettings(RealRsa().private_pem));
  jose::Jwk recipient = JwkFromPem(RealRsa().public_pem);
  // Anyone holding the public key can make this one.
  EXPECT_TRUE(Refused(rsa, Encrypt(Algorithm::kRsaOaep, ContentEncryption::kA256GCM, recipient, json::object{}, claims)));
  EXPECT_TRUE(Refused(rsa, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA256GCM, recipient, json::object{}, claims)));
  TokenVerifier ec = SecretVerifier(JweSettings(RealEc().private_pem));
  EXPECT_TRUE(Refused(ec, Encrypt(Algorithm::kEcdhEs, ContentEncryption::kA256GCM, JwkFromPem(RealEc().public_pem),
                                  json::object{}, claims)));
  // Only holders of the shared key can make this one.
  TokenVerifier dir = SecretVerifier(JweSettings(kJweSecret));
  auto r = dir.Verify(Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), json::object{}, claims), kNow);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*r)->encrypted);
  EXPECT_EQ((*r)->claims.at("role").as_string(), "direct");
  // ...and its claims are still validated.
  EXPECT_TRUE(Refused(dir, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), json::object{},
                                   ClaimsJson("", kNow - 3600))));
}

TEST(TokenVerifierTest, JweWithEncNotAllowedRefused) {
  TokenSettings s = JweSettings(RealRsa().private_pem);
  s.jwe_encs = "A256GCM";
  TokenVerifier v = SecretVerifier(s);
  jose::Jwk recipient = JwkFromPem(RealRsa().public_pem);
  const std::string inner = Hs256(ClaimsJson());
  ASSERT_TRUE(Accepted(v, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA256GCM, recipient, CtyJwt(), inner)));
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA192GCM, recipient, CtyJwt(), inner)));
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA128CbcHs256, recipient, CtyJwt(), inner)));
}

TEST(TokenVerifierTest, TruncatedGcmTagRefused) {
  for (bool use_dir : {true, false}) {
    TokenVerifier v = SecretVerifier(JweSettings(use_dir ? kJweSecret : RealRsa().private_pem));
    std::string jwe = use_dir ? Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), CtyJwt(),
                                        Hs256(ClaimsJson()))
                              : Encrypt(Algorithm::kRsaOaep256, ContentEncryption::kA256GCM,
                                        JwkFromPem(RealRsa().public_pem), CtyJwt(), Hs256(ClaimsJson()));
    ASSERT_TRUE(Accepted(v, jwe));
    std::vector<std::string> parts = Split(jwe);
    ASSERT_EQ(parts.size(), 5u);
    std::string tag = Decode(parts[4]);
    ASSERT_EQ(tag.size(), 16u);
    for (std::size_t len : {std::size_t{15}, std::size_t{12}, std::size_t{1}, std::size_t{0}}) {
      std::vector<std::string> p = parts;
      p[4] = B64(tag.substr(0, len));
      EXPECT_TRUE(Refused(v, Join(p))) << (use_dir ? "dir" : "RSA-OAEP-256") << " tag of " << len << " bytes";
    }
    std::vector<std::string> p = parts;
    std::string flipped = tag;
    flipped[0] = static_cast<char>(flipped[0] ^ 1);
    p[4] = B64(flipped);
    EXPECT_TRUE(Refused(v, Join(p))) << "flipped tag bit";
  }
}

TEST(TokenVerifierTest, JweRsa1_5RefusedByDefault) {
  TokenVerifier v = SecretVerifier(JweSettings(RealRsa().private_pem));
  std::string jwe = Encrypt(Algorithm::kRsa1_5, ContentEncryption::kA256GCM, JwkFromPem(RealRsa().public_pem), CtyJwt(),
                            Hs256(ClaimsJson()));
  EXPECT_TRUE(Refused(v, jwe));
}

TEST(TokenVerifierTest, JweInsideJweRefused) {
  TokenVerifier v = SecretVerifier(JweSettings(kJweSecret));
  jose::Jwk key = OctJwk(kJweSecret);
  std::string inner_jwe = Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, key, CtyJwt(), Hs256(ClaimsJson()));
  ASSERT_TRUE(Accepted(v, inner_jwe));
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, key, CtyJwt(), inner_jwe)));
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kA256KW, ContentEncryption::kA256GCM, key, json::object{}, inner_jwe)));
}

TEST(TokenVerifierTest, NestedJweWithForeignTypRefused) {
  TokenVerifier v = SecretVerifier(JweSettings(kJweSecret));
  json::object header{{"cty", "JWT"}, {"typ", "secevent+jwt"}};
  EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret), header,
                                 Hs256(ClaimsJson()))));
}

TEST(TokenVerifierTest, CompressedJweRefusedUnlessAllowed) {
  const std::string inner = Hs256(ClaimsJson());
  std::string jwe = Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, OctJwk(kJweSecret),
                            json::object{{"cty", "JWT"}, {"zip", "DEF"}}, inner);
  TokenVerifier v = SecretVerifier(JweSettings(kJweSecret));
  EXPECT_TRUE(Refused(v, jwe));
  TokenSettings s = JweSettings(kJweSecret);
  s.jwe_allow_compression = true;
  TokenVerifier allowed = SecretVerifier(s);
  EXPECT_TRUE(Accepted(allowed, jwe));
}

// FAILS against the current src/identity/token_verifier.cc (BUG, see the
// report): Decrypt() checks the JWE header's "typ" only when cty is "JWT".
// For a directly encrypted JWT (dir/A*KW, no cty) the JWE header is the only
// JOSE header, so a security event token or logout token encrypted with the
// shared key is accepted as an access token (RFC 8725 §3.11).
TEST(TokenVerifierTest, DirectJweWithForeignTypRefused_BUG_TypUncheckedWithoutCty) {
  TokenVerifier v = SecretVerifier(JweSettings(kJweSecret));
  jose::Jwk key = OctJwk(kJweSecret);
  // Control: typ JWT is fine.
  ASSERT_TRUE(Accepted(v, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, key, json::object{{"typ", "JWT"}},
                                  ClaimsJson())));
  for (const char* typ : {"secevent+jwt", "logout+jwt"}) {
    EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kDir, ContentEncryption::kA256GCM, key, json::object{{"typ", typ}},
                                   ClaimsJson())))
        << typ;
    EXPECT_TRUE(Refused(v, Encrypt(Algorithm::kA256KW, ContentEncryption::kA256GCM, key, json::object{{"typ", typ}},
                                   ClaimsJson())))
        << typ;
  }
}

}  // namespace
}  // namespace tessera::identity
