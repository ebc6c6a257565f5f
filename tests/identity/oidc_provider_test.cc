// The remote-key layer against a real OpenID Connect provider (npm's
// oidc-provider, tests/oidc): discovery, the key set, tokens obtained through
// a real Authorization Code + PKCE flow and signed RS256, ES256 and EdDSA,
// verified with the fetched keys; then a key rotation picked up by one
// refetch, and a flood of made-up kids that costs at most one fetch.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "identity/jose/base64url.h"
#include "identity/jose/jws.h"
#include "identity/remote/jwks_cache.h"
#include "identity/remote/key_set_fetcher.h"
#include "identity/remote/oidc_discovery.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "identity/token_verifier.h"

namespace tessera::identity {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

std::string OidcDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return std::string(env ? env : TESSERA_SOURCE_DIR) + "/tests/oidc";
}

// Runs a command to completion and returns its stdout (stderr is discarded).
std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class OidcProviderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    state_ = new fs::path(fs::temp_directory_path() / ("tessera-oidc-" + std::to_string(::getpid())));
    fs::create_directories(*state_);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::string script = OidcDir() + "/provider.mjs";
      std::string state = state_->string();
      ::execl("/usr/bin/node", "node", script.c_str(), "--port", "0", "--state-dir", state.c_str(), "--jwks-max-age",
              "600", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    out_fd_ = fds[0];
    // Two lines: ISSUER=... and ADMIN_TOKEN=...
    std::string text;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (text.find("ADMIN_TOKEN=") == std::string::npos || text.back() != '\n') {
      if (std::chrono::steady_clock::now() > deadline) break;
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) continue;
      char buf[512];
      ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<size_t>(n));
    }
    auto value = [&](const std::string& name) {
      size_t at = text.find(name + "=");
      if (at == std::string::npos) return std::string();
      size_t end = text.find('\n', at);
      return text.substr(at + name.size() + 1, end - at - name.size() - 1);
    };
    issuer_ = new std::string(value("ISSUER"));
    admin_ = new std::string(value("ADMIN_TOKEN"));
    ASSERT_FALSE(issuer_->empty()) << "the provider did not start: " << text;
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    std::error_code ec;
    if (state_) fs::remove_all(*state_, ec);
    delete state_;
    delete issuer_;
    delete admin_;
  }

  // An access token from the real login flow.
  static std::string AccessToken(const std::string& email, const std::string& password, const std::string& alg) {
    std::string out = RunCommand("node " + Quote(OidcDir() + "/get-token.mjs") + " --issuer " + Quote(*issuer_) +
                          " --email " + Quote(email) + " --password " + Quote(password) + " --alg " + alg);
    json::error_code ec;
    json::value v = json::parse(out, ec);
    if (ec || !v.is_object() || !v.as_object().contains("access_token")) {
      ADD_FAILURE() << "no token from get-token.mjs: " << out;
      return "";
    }
    return std::string(v.at("access_token").as_string());
  }

  static json::value Admin(const std::string& method, const std::string& path) {
    std::string out = RunCommand("curl -s -X " + method + " -H " + Quote("Authorization: Bearer " + *admin_) + " " +
                          Quote(*issuer_ + path));
    json::error_code ec;
    json::value v = json::parse(out, ec);
    EXPECT_FALSE(ec) << path << ": " << out;
    return v;
  }

  // The (alg, kid) of a compact token's header.
  static std::pair<std::string, std::string> Header(const std::string& token) {
    auto header = jose::DecodeBase64Url(token.substr(0, token.find('.')));
    if (!header.ok()) return {};
    json::value h = json::parse(*header);
    return {std::string(h.at("alg").as_string()), std::string(h.at("kid").as_string())};
  }

  // Verifies `token` with the cache's keys for its kid; returns its claims.
  static absl::StatusOr<json::object> Verify(JwksCache& cache, const std::string& token) {
    auto [alg_name, kid] = Header(token);
    std::optional<jose::Algorithm> alg = jose::AlgorithmFromName(alg_name);
    if (!alg) return absl::InvalidArgumentError("unknown alg " + alg_name);
    BoundKeysPtr keys = cache.KeysFor(kid);
    for (const jose::BoundKey* k : jose::CandidateKeys(*keys, *alg, kid)) {
      absl::StatusOr<jose::CompactJws> jws = jose::VerifyCompactJws(token, k->alg, k->key);
      if (jws.ok()) return json::parse(jws->payload).as_object();
    }
    return absl::PermissionDeniedError("no key verifies it");
  }

  static std::unique_ptr<JwksCache> Cache(const ProviderMetadata& meta) {
    JwksCacheOptions o;
    o.url = meta.jwks_uri;
    o.allowed = {jose::Algorithm::kRS256, jose::Algorithm::kES256, jose::Algorithm::kEdDSA};
    o.background_refresh = false;
    o.label = meta.issuer;
    return std::make_unique<JwksCache>(o, MakeCurlFetcher());
  }

  static int JwksFetches() { return static_cast<int>(Admin("GET", "/__admin/stats").at("jwksFetches").to_number<int64_t>()); }

  static fs::path* state_;
  static std::string* issuer_;
  static std::string* admin_;
  static pid_t pid_;
  static int out_fd_;
};

fs::path* OidcProviderTest::state_ = nullptr;
std::string* OidcProviderTest::issuer_ = nullptr;
std::string* OidcProviderTest::admin_ = nullptr;
pid_t OidcProviderTest::pid_ = -1;
int OidcProviderTest::out_fd_ = -1;

TEST_F(OidcProviderTest, TokensFromTheLoginFlowVerifyWithTheDiscoveredKeys) {
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<ProviderMetadata> meta = DiscoverProvider(*fetcher, *issuer_);
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->jwks_uri, *issuer_ + "/jwks");
  // The issuer with a trailing slash is another issuer.
  EXPECT_FALSE(DiscoverProvider(*fetcher, *issuer_ + "/").ok());
  auto cache = Cache(*meta);
  ASSERT_TRUE(cache->Refresh().ok()) << cache->last_error();
  EXPECT_EQ(cache->Keys()->size(), 3u);
  for (const std::string& alg : std::vector<std::string>{"RS256", "ES256", "EdDSA"}) {
    std::string token = AccessToken("alice@admin.example", "alice-password", alg);
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(Header(token).first, alg);
    absl::StatusOr<json::object> claims = Verify(*cache, token);
    ASSERT_TRUE(claims.ok()) << alg << ": " << claims.status();
    EXPECT_EQ(claims->at("iss"), json::string(*issuer_));
    EXPECT_EQ(claims->at("aud"), "https://tessera.local/api");
    // The tutorial's Auth0 rule shape: an object under the namespace.
    EXPECT_EQ(claims->at("http://localhost:3000"), (json::object{{"role", "admin"}, {"tenant", "acme"}}));
    // One changed byte of the signature and it no longer verifies.
    std::string tampered = token;
    tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(Verify(*cache, tampered).ok()) << alg;
  }
  absl::StatusOr<json::object> bob = Verify(*cache, AccessToken("bob@acme.example", "bob-password", "RS256"));
  ASSERT_TRUE(bob.ok()) << bob.status();
  EXPECT_EQ(bob->at("http://localhost:3000").at("role"), "user");
}

TEST_F(OidcProviderTest, RotationIsPickedUpByOneRefetchAndAKidFloodCostsAtMostOne) {
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<ProviderMetadata> meta = DiscoverProvider(*fetcher, *issuer_);
  ASSERT_TRUE(meta.ok()) << meta.status();
  auto cache = Cache(*meta);
  ASSERT_TRUE(cache->Refresh().ok());
  std::string before = AccessToken("bob@acme.example", "bob-password", "ES256");
  ASSERT_TRUE(Verify(*cache, before).ok());
  std::string old_kid = Header(before).second;

  json::value rotated = Admin("POST", "/__admin/rotate?alg=ES256");
  std::string new_kid(rotated.at("kid").as_string());
  ASSERT_NE(new_kid, old_kid);
  std::string after = AccessToken("bob@acme.example", "bob-password", "ES256");
  EXPECT_EQ(Header(after).second, new_kid);
  int fetches = JwksFetches();
  ASSERT_TRUE(Verify(*cache, after).ok());         // unknown kid: one refetch
  EXPECT_EQ(JwksFetches(), fetches + 1);
  EXPECT_TRUE(Verify(*cache, before).ok());         // the old key is still published

  // 1,000 tokens naming random kids: no more fetches within the window.
  fetches = JwksFetches();
  std::string body = after.substr(after.find('.'));
  for (int i = 0; i < 1000; ++i) {
    std::string header = jose::EncodeBase64Url(R"({"alg":"ES256","kid":"random-)" + std::to_string(i) + R"("})");
    EXPECT_FALSE(Verify(*cache, header + body).ok());
  }
  EXPECT_LE(JwksFetches(), fetches + 1);

  // The old key is retired: after the refresh its tokens no longer verify.
  Admin("POST", "/__admin/retire?kid=" + old_kid);
  ASSERT_TRUE(cache->Refresh().ok());
  EXPECT_FALSE(Verify(*cache, before).ok());
  EXPECT_TRUE(Verify(*cache, after).ok());

  // Provider down: the known keys keep verifying (within the stale bound).
  Admin("POST", "/__admin/fault?mode=down");
  EXPECT_FALSE(cache->Refresh().ok());
  EXPECT_TRUE(Verify(*cache, after).ok());
  EXPECT_TRUE(cache->ready());
  Admin("POST", "/__admin/fault?mode=ok");
  EXPECT_TRUE(cache->Refresh().ok());
}

// CUBEJS_JWK_URL, as the tutorial's Step 3 configures it: TokenVerifier takes
// the provider's keys, checks the audience and issuer, and refuses the
// classic key-set attacks.
TEST_F(OidcProviderTest, TokenVerifierWithAJwkUrl) {
  TokenSettings settings;
  settings.jwk_url = *issuer_ + "/jwks";
  settings.audience = "https://tessera.local/api";
  settings.issuer = *issuer_;
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_TRUE(policy->remote_keys->Refresh().ok());
  TokenVerifier verifier(*policy);
  const int64_t now = SystemSeconds();
  std::string rs;
  for (const std::string& alg : std::vector<std::string>{"RS256", "ES256", "EdDSA"}) {
    std::string token = AccessToken("carol@globex.example", "carol-password", alg);
    if (alg == "RS256") rs = token;
    auto verified = verifier.Verify(token, now);
    ASSERT_TRUE(verified.ok()) << alg << ": " << verified.status();
    EXPECT_EQ((*verified)->claims.at("http://localhost:3000").at("tenant"), "globex");
  }
  // Another audience or issuer: refused.
  for (auto change : std::vector<std::function<void(TokenSettings&)>>{
           [](TokenSettings& s) { s.audience = "cubejs"; },
           [&](TokenSettings& s) { s.issuer = *issuer_ + "/"; }}) {
    TokenSettings other = settings;
    change(other);
    absl::StatusOr<TokenPolicy> p = BuildTokenPolicy(other);
    ASSERT_TRUE(p.ok()) << p.status();
    ASSERT_TRUE(p->remote_keys->Refresh().ok());
    EXPECT_FALSE(TokenVerifier(*p).Verify(rs, now).ok());
  }
  // RS256 -> HS256 confusion: the payload re-signed with HMAC keyed by the
  // provider's published RSA key in the forms an attacker would try.
  std::string payload = rs.substr(rs.find('.') + 1);
  payload = payload.substr(0, payload.find('.'));
  std::string jwks = RunCommand("curl -s " + Quote(*issuer_ + "/jwks"));
  json::value set = json::parse(jwks);
  std::string rsa_kid = Header(rs).second;
  for (const auto& k : set.at("keys").as_array()) {
    if (k.at("kid").as_string() != rsa_kid) continue;
    for (const std::string& secret : {json::serialize(k), std::string(k.at("n").as_string())}) {
      jose::Jwk hmac = jose::SecretJwk(secret);
      std::string header = jose::EncodeBase64Url(R"({"alg":"HS256","typ":"JWT","kid":")" + rsa_kid + R"("})");
      auto mac = jose::ComputeSignature(jose::Algorithm::kHS256, hmac, header + "." + payload);
      ASSERT_TRUE(mac.ok());
      EXPECT_FALSE(verifier.Verify(header + "." + payload + "." + jose::EncodeBase64Url(*mac), now).ok());
    }
  }
  // An alg swap on the RSA key (RS256 -> PS256) and "none" are refused.
  std::string sig = rs.substr(rs.rfind('.') + 1);
  for (const std::string& alg : std::vector<std::string>{"PS256", "none", "ES256"}) {
    std::string header = jose::EncodeBase64Url(R"({"alg":")" + alg + R"(","kid":")" + rsa_kid + R"("})");
    EXPECT_FALSE(verifier.Verify(header + "." + payload + "." + sig, now).ok()) << alg;
  }
  // Configuration: only https or loopback http; no HMAC from a key set.
  TokenSettings bad = settings;
  bad.jwk_url = "http://idp.example/jwks";
  EXPECT_FALSE(BuildTokenPolicy(bad).ok());
  bad = settings;
  bad.jwt_algs = "HS256";
  EXPECT_FALSE(BuildTokenPolicy(bad).ok());
}

// A token verified (and cached) before its key was retired is refused once
// the key set no longer holds the key: the cache entry records the key set's
// version.
TEST_F(OidcProviderTest, RetiredKeyStopsTokensAlreadyVerified) {
  TokenSettings settings;
  settings.jwk_url = *issuer_ + "/jwks";
  settings.audience = "https://tessera.local/api";
  absl::StatusOr<TokenPolicy> policy = BuildTokenPolicy(settings);
  ASSERT_TRUE(policy.ok()) << policy.status();
  std::shared_ptr<JwksCache> keys = policy->remote_keys;
  ASSERT_TRUE(keys->Refresh().ok());
  std::unique_ptr<IdentityStage> identity = MakeTokenIdentity(*std::move(policy));
  auto identify = [&](const std::string& token) {
    http::Request req;
    req.headers["authorization"] = "Bearer " + token;
    return identity->Identify(req);
  };
  std::string before = AccessToken("bob@acme.example", "bob-password", "ES256");
  std::string old_kid = Header(before).second;
  ASSERT_TRUE(identify(before).ok());
  ASSERT_TRUE(identify(before).ok());  // from the verified-token cache
  // A refresh that finds the same keys changes nothing.
  uint64_t version = keys->version();
  ASSERT_TRUE(keys->Refresh().ok());
  EXPECT_EQ(keys->version(), version);
  EXPECT_TRUE(identify(before).ok());

  Admin("POST", "/__admin/rotate?alg=ES256");
  Admin("POST", "/__admin/retire?kid=" + old_kid);
  ASSERT_TRUE(keys->Refresh().ok());
  EXPECT_NE(keys->version(), version);
  absl::StatusOr<Principal> refused = identify(before);
  EXPECT_FALSE(refused.ok());
  std::string after = AccessToken("bob@acme.example", "bob-password", "ES256");
  EXPECT_TRUE(identify(after).ok());
}

}  // namespace
}  // namespace tessera::identity
