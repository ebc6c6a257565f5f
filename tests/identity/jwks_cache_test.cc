// Remote key sets: parsing what providers publish (skipping what cannot be
// used, never failing the whole set for one key), fetching over HTTP with
// timeouts and Cache-Control, and the per-issuer cache: TTL clamping,
// single-flight refetch on an unknown kid at most once per window, stale keys
// for a bounded time when the provider is down.
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http/server.h"
#include "identity/jose/jwk.h"
#include "identity/remote/jwks_cache.h"
#include "identity/remote/key_set_fetcher.h"
#include "identity/remote/remote_key_set.h"
#include "support/test_keys.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using jose::Algorithm;

const std::vector<Algorithm> kAllowed = {Algorithm::kRS256, Algorithm::kES256, Algorithm::kEdDSA};

// The public JWK of a fresh key of `kind`, with `kid` (and `alg` when given).
json::object PublicKey(const std::string& kind, const std::string& kid, const std::string& alg = "") {
  testing::PemKeyPair pair = testing::GeneratePemKeyPair(kind);
  jose::KeyImportOptions weak_ok;
  weak_ok.min_rsa_bits = 1024;  // the test needs a too-small key to publish
  absl::StatusOr<jose::Jwk> key = jose::ParsePemKey(pair.public_pem, weak_ok);
  EXPECT_TRUE(key.ok()) << key.status();
  if (!key.ok()) return {};
  absl::StatusOr<json::object> jwk = jose::PublicJwk(*key);
  EXPECT_TRUE(jwk.ok()) << jwk.status();
  json::object out = *jwk;
  out["kid"] = kid;
  if (!alg.empty()) out["alg"] = alg;
  return out;
}

std::string Set(const json::array& keys) { return json::serialize(json::object{{"keys", keys}}); }

std::vector<std::string> Kids(const BoundKeys& keys) {
  std::vector<std::string> out;
  for (const auto& k : keys) out.push_back(k.key.kid);
  return out;
}

TEST(RemoteKeySetTest, SkipsWhatCannotBeUsedAndKeepsTheRest) {
  json::object rsa = PublicKey("RSA", "rsa-1", "RS256");
  json::object ec = PublicKey("P-256", "ec-1");
  json::object ed = PublicKey("Ed25519", "ed-1");
  json::object small = PublicKey("RSA-1024", "rsa-small", "RS256");
  json::object hmac{{"kty", "oct"}, {"k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}, {"kid", "hs"}};
  json::object enc = PublicKey("RSA", "rsa-enc");
  enc["use"] = "enc";
  json::object x25519 = PublicKey("X25519", "x");
  json::object unknown{{"kty", "PQC"}, {"kid", "future"}, {"pub", "AAAA"}};
  json::object bad_alg = PublicKey("P-256", "ec-alg");
  bad_alg["alg"] = "ES999";
  json::object p384 = PublicKey("P-384", "ec-384");  // ES384 is not allowed here
  json::array keys{rsa, ec, ed, small, hmac, enc, x25519, unknown, bad_alg, p384, json::string("not a key")};
  absl::StatusOr<RemoteKeySet> set = ParseRemoteKeySet(Set(keys), kAllowed);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(Kids(set->keys), (std::vector<std::string>{"rsa-1", "ec-1", "ed-1"}));
  EXPECT_EQ(set->keys[0].alg, Algorithm::kRS256);
  EXPECT_EQ(set->keys[1].alg, Algorithm::kES256);
  EXPECT_EQ(set->keys[2].alg, Algorithm::kEdDSA);
  EXPECT_EQ(set->skipped.size(), 8u);
  std::string all;
  for (const auto& s : set->skipped) all += s + "\n";
  EXPECT_NE(all.find("kid 'hs'): symmetric keys are never taken"), std::string::npos) << all;
  EXPECT_NE(all.find("kid 'rsa-enc'): not a signing key"), std::string::npos) << all;
  EXPECT_NE(all.find("kid 'rsa-small')"), std::string::npos) << all;
  EXPECT_NE(all.find("key 11: not a JSON object"), std::string::npos) << all;
}

TEST(RemoteKeySetTest, ConflictingKidsDropBothButRepeatsAreHarmless) {
  json::object a = PublicKey("P-256", "same");
  json::object b = PublicKey("P-256", "same");
  json::object c = PublicKey("P-256", "twice");
  absl::StatusOr<RemoteKeySet> set = ParseRemoteKeySet(Set(json::array{a, b, c, c}), kAllowed);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(Kids(set->keys), (std::vector<std::string>{"twice"}));
}

TEST(RemoteKeySetTest, PrivateKeysAreNotTaken) {
  testing::PemKeyPair pair = testing::GeneratePemKeyPair("P-256");
  absl::StatusOr<jose::Jwk> key = jose::ParsePemKey(pair.private_pem);
  ASSERT_TRUE(key.ok());
  // A private JWK: the public members plus "d".
  absl::StatusOr<json::object> pub = jose::PublicJwk(*key);
  ASSERT_TRUE(pub.ok());
  json::object priv = *pub;
  priv["d"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  priv["kid"] = "leaked";
  absl::StatusOr<RemoteKeySet> set = ParseRemoteKeySet(Set(json::array{priv}), kAllowed);
  ASSERT_TRUE(set.ok());
  EXPECT_TRUE(set->keys.empty());
}

TEST(RemoteKeySetTest, DocumentErrors) {
  EXPECT_FALSE(ParseRemoteKeySet("[]", kAllowed).ok());
  EXPECT_FALSE(ParseRemoteKeySet("{}", kAllowed).ok());
  EXPECT_FALSE(ParseRemoteKeySet(R"({"keys":{}})", kAllowed).ok());
  EXPECT_FALSE(ParseRemoteKeySet(R"({"keys":[],"keys":[]})", kAllowed).ok());  // duplicate names
  EXPECT_FALSE(ParseRemoteKeySet("not json", kAllowed).ok());
  json::array many;
  for (int i = 0; i < 101; ++i) many.push_back(json::object{{"kty", "oct"}});
  EXPECT_FALSE(ParseRemoteKeySet(Set(many), kAllowed).ok());
  absl::StatusOr<RemoteKeySet> empty = ParseRemoteKeySet(R"({"keys":[]})", kAllowed);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->keys.empty());
}

TEST(FetchTest, OnlyHttpsOrLoopbackHttp) {
  EXPECT_TRUE(CheckFetchUrl("https://idp.example/.well-known/jwks.json").ok());
  EXPECT_TRUE(CheckFetchUrl("http://127.0.0.1:8080/jwks").ok());
  EXPECT_TRUE(CheckFetchUrl("http://localhost/jwks").ok());
  EXPECT_TRUE(CheckFetchUrl("http://[::1]:9/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("http://idp.example/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("http://127.0.0.1.evil.example/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("http://localhost.evil.example:80/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("http://127.0.0.1@evil.example/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("http://evil.example#@127.0.0.1/").ok());
  EXPECT_FALSE(CheckFetchUrl("http://evil.example\\@127.0.0.1/").ok());
  EXPECT_FALSE(CheckFetchUrl("http://[::1].evil/").ok());
  EXPECT_FALSE(CheckFetchUrl("http://").ok());
  EXPECT_FALSE(CheckFetchUrl("file:///etc/passwd").ok());
  EXPECT_FALSE(CheckFetchUrl("https://user:pw@idp.example/jwks").ok());
  EXPECT_FALSE(CheckFetchUrl("/jwks").ok());
}

TEST(FetchTest, MaxAge) {
  EXPECT_EQ(ParseMaxAge("public, max-age=300"), std::chrono::seconds(300));
  EXPECT_EQ(ParseMaxAge("max-age=\"60\", must-revalidate"), std::chrono::seconds(60));
  EXPECT_EQ(ParseMaxAge("no-store"), std::chrono::seconds(0));
  EXPECT_EQ(ParseMaxAge("max-age=100, no-cache"), std::chrono::seconds(0));
  EXPECT_EQ(ParseMaxAge("private"), std::nullopt);
  EXPECT_EQ(ParseMaxAge("max-age=-5"), std::nullopt);
  EXPECT_EQ(ParseMaxAge(""), std::nullopt);
}

// A scripted provider answering from a local HTTP server.
class FakeProvider final : public http::Handler {
 public:
  void Handle(http::Request req, http::Responder respond) override {
    std::chrono::milliseconds delay;
    http::Response r;
    {
      std::lock_guard<std::mutex> lock(mu);
      ++requests;
      delay = this->delay;
      r.status = status;
      r.body = body;
      if (!cache_control.empty()) r.headers.emplace_back("Cache-Control", cache_control);
    }
    (void)req;
    if (delay.count() > 0) {
      // Answered late from a thread of its own (the io thread stays free);
      // joined before the server stops, so no answer reaches a stopped server.
      std::lock_guard<std::mutex> lock(mu);
      late.emplace_back([r, respond, delay] {
        std::this_thread::sleep_for(delay);
        respond(r);
      });
      return;
    }
    respond(std::move(r));
  }
  std::mutex mu;
  int status = 200;
  std::string body;
  std::string cache_control;
  std::chrono::milliseconds delay{0};
  std::atomic<int> requests{0};
  std::vector<std::thread> late;  // guarded by mu

  void JoinLateAnswers() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.swap(late);
    }
    for (auto& t : threads) t.join();
  }
};

class CurlFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    provider_ = std::make_shared<FakeProvider>();
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    auto server = http::Server::Create(options, provider_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    server_->Start();
    url_ = "http://127.0.0.1:" + std::to_string(server_->port()) + "/jwks";
  }
  void TearDown() override {
    provider_->JoinLateAnswers();
    if (server_) server_->Stop();
  }
  std::shared_ptr<FakeProvider> provider_;
  std::unique_ptr<http::Server> server_;
  std::string url_;
};

TEST_F(CurlFetchTest, BodyAndMaxAge) {
  provider_->body = R"({"keys":[]})";
  provider_->cache_control = "public, max-age=123";
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<FetchResult> r = fetcher->Get(url_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->body, R"({"keys":[]})");
  EXPECT_EQ(r->max_age, std::chrono::seconds(123));
}

TEST_F(CurlFetchTest, ErrorsAreUnavailable) {
  provider_->status = 503;
  auto fetcher = MakeCurlFetcher();
  absl::StatusOr<FetchResult> r = fetcher->Get(url_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(r.status().message()).find("HTTP status 503"), std::string::npos);
  // Too large.
  provider_->status = 200;
  provider_->body = std::string(600 * 1024, 'x');
  r = fetcher->Get(url_);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  // Nobody listening.
  r = fetcher->Get("http://127.0.0.1:1/jwks");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  // Not https and not loopback: refused before any connection.
  r = fetcher->Get("http://example.com/jwks");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(CurlFetchTest, SlowProviderTimesOut) {
  provider_->body = R"({"keys":[]})";
  provider_->delay = 1500ms;
  FetchOptions options;
  options.total_timeout = 300ms;
  auto fetcher = MakeCurlFetcher(options);
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<FetchResult> r = fetcher->Get(url_);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_LT(took, 1200ms);
}

// A fetcher answering from memory, counting calls, optionally slow.
class ScriptedFetcher final : public KeySetFetcher {
 public:
  absl::StatusOr<FetchResult> Get(const std::string&) override {
    ++calls;
    std::this_thread::sleep_for(delay);
    std::lock_guard<std::mutex> lock(mu);
    if (!up) return absl::UnavailableError("provider down");
    return FetchResult{body, max_age};
  }
  void Publish(const json::array& keys, std::optional<std::chrono::seconds> age = std::nullopt) {
    std::lock_guard<std::mutex> lock(mu);
    body = Set(keys);
    max_age = age;
  }
  std::mutex mu;
  std::string body = R"({"keys":[]})";
  std::optional<std::chrono::seconds> max_age;
  std::atomic<bool> up{true};  // flipped by the test while the refresher thread reads it
  std::chrono::milliseconds delay{0};
  std::atomic<int> calls{0};
};

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheOptions Options() {
    JwksCacheOptions o;
    o.url = "https://idp.example/jwks";
    o.allowed = kAllowed;
    o.background_refresh = false;
    o.now = [this] { return std::chrono::steady_clock::time_point(std::chrono::seconds(now_s.load())); };
    o.label = "https://idp.example/";
    return o;
  }
  std::atomic<int64_t> now_s{100000};
  std::shared_ptr<ScriptedFetcher> fetcher_ = std::make_shared<ScriptedFetcher>();
};

TEST_F(JwksCacheTest, TtlFollowsMaxAgeClampedAndStaleKeysServeForABoundedTime) {
  fetcher_->Publish(json::array{PublicKey("P-256", "k1")}, 10s);  // below min_ttl (60 s)
  JwksCacheOptions o = Options();
  o.stale_limit = 600s;
  JwksCache cache(o, fetcher_);
  EXPECT_FALSE(cache.ready());
  EXPECT_TRUE(cache.Keys()->empty());
  ASSERT_TRUE(cache.Refresh().ok());
  EXPECT_EQ(Kids(*cache.Keys()), (std::vector<std::string>{"k1"}));
  // The provider goes down; the keys expire at +60 s but serve until +660 s.
  fetcher_->up = false;
  now_s += 61;
  EXPECT_FALSE(cache.Refresh().ok());
  EXPECT_EQ(Kids(*cache.Keys()), (std::vector<std::string>{"k1"}));
  EXPECT_TRUE(cache.ready());
  now_s += 600;
  EXPECT_TRUE(cache.Keys()->empty());
  EXPECT_FALSE(cache.ready());
  EXPECT_EQ(cache.last_error().code(), absl::StatusCode::kUnavailable);
  // It recovers with the provider.
  fetcher_->up = true;
  EXPECT_TRUE(cache.Refresh().ok());
  EXPECT_TRUE(cache.ready());
  // A large max-age is clamped to max_ttl (1 day).
  fetcher_->Publish(json::array{PublicKey("P-256", "k2")}, std::chrono::seconds(10 * 86400));
  ASSERT_TRUE(cache.Refresh().ok());
  now_s += 86400 + 3600 + 1;
  EXPECT_TRUE(cache.Keys()->empty());
}

TEST_F(JwksCacheTest, UnknownKidRefetchesOncePerWindow) {
  fetcher_->Publish(json::array{PublicKey("P-256", "old")});
  JwksCache cache(Options(), fetcher_);
  ASSERT_TRUE(cache.Refresh().ok());
  EXPECT_EQ(fetcher_->calls.load(), 1);
  // Rotation: the provider publishes a new key; a token names it.
  fetcher_->Publish(json::array{PublicKey("P-256", "old"), PublicKey("P-256", "new")});
  EXPECT_EQ(Kids(*cache.KeysFor("new")), (std::vector<std::string>{"old", "new"}));
  EXPECT_EQ(fetcher_->calls.load(), 2);
  // Known kids and tokens without kid never fetch.
  cache.KeysFor("old");
  cache.KeysFor("");
  EXPECT_EQ(fetcher_->calls.load(), 2);
  // A flood of made-up kids within the window: no fetch at all.
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(cache.KeysFor("random-" + std::to_string(i))->size(), 2u);
  EXPECT_EQ(fetcher_->calls.load(), 2);
  // After the window, one more.
  now_s += 61;
  for (int i = 0; i < 1000; ++i) cache.KeysFor("random2-" + std::to_string(i));
  EXPECT_EQ(fetcher_->calls.load(), 3);
  // A removed key stops verifying after the refresh that no longer lists it.
  fetcher_->Publish(json::array{PublicKey("P-256", "new")});
  ASSERT_TRUE(cache.Refresh().ok());
  EXPECT_EQ(Kids(*cache.Keys()), (std::vector<std::string>{"new"}));
}

TEST_F(JwksCacheTest, ConcurrentUnknownKidsShareOneFetch) {
  fetcher_->Publish(json::array{PublicKey("P-256", "a")});
  JwksCache cache(Options(), fetcher_);
  ASSERT_TRUE(cache.Refresh().ok());
  fetcher_->Publish(json::array{PublicKey("P-256", "a"), PublicKey("P-256", "b")});
  fetcher_->delay = 200ms;
  std::vector<std::future<size_t>> results;
  for (int i = 0; i < 16; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      return cache.KeysFor(i % 2 == 0 ? "b" : "unknown-" + std::to_string(i))->size();
    }));
  }
  for (auto& r : results) EXPECT_EQ(r.get(), 2u);
  EXPECT_EQ(fetcher_->calls.load(), 2);
}

TEST_F(JwksCacheTest, BackgroundRefreshPrefetchesAndRetries) {
  fetcher_->Publish(json::array{PublicKey("Ed25519", "e1")});
  fetcher_->up = false;
  JwksCacheOptions o = Options();
  o.now = nullptr;  // real time
  o.background_refresh = true;
  o.retry_min = 1s;
  JwksCache cache(o, fetcher_);
  // Down at start: not ready; the refresher retries, and recovers.
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(cache.ready());
  EXPECT_GE(fetcher_->calls.load(), 1);
  fetcher_->up = true;
  for (int i = 0; i < 60 && !cache.ready(); ++i) std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(cache.ready());
  EXPECT_EQ(Kids(*cache.Keys()), (std::vector<std::string>{"e1"}));
}

TEST_F(JwksCacheTest, AnEmptyValidSetRemovesEveryKey) {
  fetcher_->Publish(json::array{PublicKey("P-256", "k")});
  JwksCache cache(Options(), fetcher_);
  ASSERT_TRUE(cache.Refresh().ok());
  fetcher_->Publish(json::array{json::object{{"kty", "oct"}, {"k", "AAAA"}, {"kid", "k"}}});
  EXPECT_FALSE(cache.Refresh().ok());
  EXPECT_TRUE(cache.Keys()->empty());
  EXPECT_FALSE(cache.ready());
}

}  // namespace
}  // namespace tessera::identity
