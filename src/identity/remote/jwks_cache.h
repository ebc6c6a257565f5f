#pragma once
// One issuer's signing keys, fetched from its jwks_uri and kept fresh:
//   - the time to live is the provider's Cache-Control max-age, clamped to
//     [min_ttl, max_ttl] (default_ttl without one);
//   - a background thread refreshes before expiry (at 3/4 of the TTL) and
//     retries failures with backoff;
//   - a token naming an unknown kid triggers at most one refetch per
//     `unknown_kid_window`, shared by every request waiting on it, so a
//     flood of random kids costs one fetch, not one per token;
//   - when the provider is down, the keys already known keep verifying until
//     `stale_limit` after they expired, then none do (and ready() says so).
// Verification never waits on the network except for that single-flight
// unknown-kid refetch, which the fetcher's timeouts bound.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

#include "identity/jose/key_set.h"
#include "absl/status/statusor.h"

#include "identity/remote/key_set_fetcher.h"

namespace tessera::identity {

using BoundKeys = std::vector<jose::BoundKey>;
using BoundKeysPtr = std::shared_ptr<const BoundKeys>;

struct JwksCacheOptions {
  std::string url;                           // the jwks_uri; empty: found by discovery
  // OpenID Connect discovery: when `url` is empty, the jwks_uri comes from
  // this issuer's {issuer}/.well-known/openid-configuration (whose issuer
  // must match), read before the first key set and again after a failed one.
  std::string discovery_issuer;
  std::vector<jose::Algorithm> allowed;      // algorithms keys may be bound to
  std::chrono::seconds default_ttl{300};
  std::chrono::seconds min_ttl{60};
  std::chrono::seconds max_ttl{86400};
  std::chrono::seconds unknown_kid_window{60};
  std::chrono::seconds stale_limit{3600};
  std::chrono::seconds retry_min{1};         // first retry after a failed refresh; doubles up to the TTL floor
  bool background_refresh = true;
  std::function<std::chrono::steady_clock::time_point()> now;  // tests inject a clock
  std::string label;                         // the issuer, for log lines
};

class JwksCache {
 public:
  using Clock = std::chrono::steady_clock;

  JwksCache(JwksCacheOptions options, std::shared_ptr<KeySetFetcher> fetcher);
  ~JwksCache();  // stops the refresher
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // Fetches now (start-up prefetch, tests). The error is also kept for ready().
  absl::Status Refresh();

  // Waits until the first fetch attempt (the refresher's) has finished, or
  // `timeout`; returns its outcome (DeadlineExceeded on timeout). For the
  // start-up report, without fetching a second time.
  absl::Status AwaitFirstFetch(std::chrono::milliseconds timeout);

  // The keys usable now: empty before the first successful fetch and after
  // the stale limit. Never touches the network.
  BoundKeysPtr Keys() const;

  // The keys to try for a token naming `kid` (may be empty: no kid). If no
  // current key has that kid, refetches — at most once per window, one fetch
  // shared by all callers — and returns what is known afterwards.
  BoundKeysPtr KeysFor(const std::string& kid);

  bool ready() const;             // has keys within their stale limit
  absl::Status last_error() const;
  size_t fetches() const;         // attempts, for tests and metrics
  // The jwks_uri ("" while discovery has not succeeded).
  std::string url() const;
  const std::string& label() const { return options_.label; }
  // Changes whenever the published keys change (not on a refresh that finds
  // the same keys); lock-free, for checks on every request.
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  Clock::time_point Now() const;
  absl::Status FetchLocked(std::unique_lock<std::mutex>& lock);
  void RunRefresher();
  static bool HasKid(const BoundKeys& keys, const std::string& kid);

  // The jwks_uri to fetch: the configured one, or discovered (with the lock
  // released while the discovery document is fetched).
  absl::StatusOr<std::string> KeySetUrl(std::unique_lock<std::mutex>& lock);

  JwksCacheOptions options_;
  std::shared_ptr<KeySetFetcher> fetcher_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  BoundKeysPtr keys_;                     // guarded by mu_
  Clock::time_point fetched_at_{};        // last success
  Clock::time_point expires_at_{};        // fetched_at_ + ttl
  Clock::time_point last_unknown_kid_fetch_{};
  bool unknown_kid_fetched_ = false;
  bool fetching_ = false;                 // a fetch is running (single flight)
  uint64_t generation_ = 0;               // completed fetch attempts
  absl::Status last_error_;
  size_t fetches_ = 0;
  std::chrono::seconds retry_delay_{0};
  Clock::time_point next_refresh_{};
  bool stopping_ = false;
  std::string published_;                 // kid/alg list of keys_, to detect changes
  std::string url_;                       // guarded by mu_: options_.url or the discovered one
  std::atomic<uint64_t> version_{1};
  std::thread refresher_;
};

}  // namespace tessera::identity
