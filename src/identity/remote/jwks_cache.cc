#include "identity/remote/jwks_cache.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "base/log_safe.h"
#include "identity/jose/jwk.h"

#include "identity/remote/oidc_discovery.h"
#include "identity/remote/remote_key_set.h"

namespace tessera::identity {

JwksCache::JwksCache(JwksCacheOptions options, std::shared_ptr<KeySetFetcher> fetcher)
    : options_(std::move(options)), fetcher_(std::move(fetcher)), keys_(std::make_shared<const BoundKeys>()) {
  url_ = options_.url;
  if (options_.background_refresh) {
    next_refresh_ = Now();  // the first fetch is the refresher's first job
    refresher_ = std::thread([this] { RunRefresher(); });
  }
}

JwksCache::~JwksCache() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

JwksCache::Clock::time_point JwksCache::Now() const { return options_.now ? options_.now() : Clock::now(); }

bool JwksCache::HasKid(const BoundKeys& keys, const std::string& kid) {
  return std::any_of(keys.begin(), keys.end(), [&](const jose::BoundKey& k) { return k.key.kid == kid; });
}

absl::Status JwksCache::FetchLocked(std::unique_lock<std::mutex>& lock) {
  if (fetching_) {
    // Single flight: wait for the fetch that is already running.
    const uint64_t generation = generation_;
    cv_.wait(lock, [&] { return generation_ != generation || stopping_; });
    return last_error_;
  }
  fetching_ = true;
  ++fetches_;
  absl::StatusOr<std::string> url = KeySetUrl(lock);
  lock.unlock();
  absl::StatusOr<FetchResult> got = url.ok() ? fetcher_->Get(*url) : absl::StatusOr<FetchResult>(url.status());
  absl::StatusOr<RemoteKeySet> parsed =
      got.ok() ? ParseRemoteKeySet(got->body, options_.allowed) : absl::StatusOr<RemoteKeySet>(got.status());
  lock.lock();
  // A provider that moved its keys answers the old jwks_uri with an error:
  // discover again next time.
  if (!parsed.ok() && !options_.discovery_issuer.empty()) url_.clear();
  fetching_ = false;
  ++generation_;
  const Clock::time_point now = Now();
  if (parsed.ok()) {
    for (const std::string& why : parsed->skipped) spdlog::warn("key set of {}: skipped {}", options_.label, why);
    std::chrono::seconds ttl = got->max_age.value_or(options_.default_ttl);
    ttl = std::clamp(ttl, options_.min_ttl, std::max(options_.min_ttl, options_.max_ttl));
    // A valid set is the provider's word, even when nothing in it is usable:
    // keys it no longer publishes must stop verifying.
    keys_ = std::make_shared<const BoundKeys>(std::move(parsed->keys));
    std::string published;
    for (const jose::BoundKey& k : *keys_) {
      absl::StrAppend(&published, k.key.kid, "/", std::string(jose::AlgorithmName(k.alg)), "/", jose::JwkThumbprint(k.key).value_or("?"), ";");
    }
    if (published != published_) {
      published_ = std::move(published);
      version_.fetch_add(1, std::memory_order_acq_rel);
    }
    fetched_at_ = now;
    expires_at_ = now + ttl;
    next_refresh_ = now + ttl * 3 / 4;
    retry_delay_ = std::chrono::seconds(0);
    last_error_ = keys_->empty() ? absl::UnavailableError("the key set has no usable signing key") : absl::OkStatus();
    if (!last_error_.ok()) spdlog::warn("key set of {}: {}", options_.label, std::string(last_error_.message()));
  } else {
    last_error_ = parsed.status();
    retry_delay_ = retry_delay_.count() == 0 ? options_.retry_min
                                             : std::min(retry_delay_ * 2, std::max(options_.retry_min, options_.min_ttl));
    next_refresh_ = now + retry_delay_;
    spdlog::warn("key set of {}: fetch failed ({}); {} known keys serve until {} s after their expiry",
                 options_.label, std::string(last_error_.message()), keys_->size(), options_.stale_limit.count());
  }
  cv_.notify_all();
  return last_error_;
}

absl::StatusOr<std::string> JwksCache::KeySetUrl(std::unique_lock<std::mutex>& lock) {
  if (!url_.empty() || options_.discovery_issuer.empty()) return url_;
  lock.unlock();
  absl::StatusOr<ProviderMetadata> meta = DiscoverProvider(*fetcher_, options_.discovery_issuer);
  lock.lock();
  if (!meta.ok()) return absl::UnavailableError(absl::StrCat("discovery: ", meta.status().message()));
  if (url_ != meta->jwks_uri) spdlog::info("issuer {}: keys at {}", options_.label, LogSafe(meta->jwks_uri));
  url_ = meta->jwks_uri;
  return url_;
}

absl::Status JwksCache::AwaitFirstFetch(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!options_.background_refresh && generation_ == 0) return FetchLocked(lock);
  if (!cv_.wait_for(lock, timeout, [&] { return generation_ > 0 || stopping_; })) {
    return absl::DeadlineExceededError("the first fetch has not finished");
  }
  return last_error_;
}

std::string JwksCache::url() const {
  std::lock_guard<std::mutex> lock(mu_);
  return url_;
}

absl::Status JwksCache::Refresh() {
  std::unique_lock<std::mutex> lock(mu_);
  return FetchLocked(lock);
}

BoundKeysPtr JwksCache::Keys() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (fetched_at_ == Clock::time_point{} || Now() > expires_at_ + options_.stale_limit) {
    static const BoundKeysPtr kNone = std::make_shared<const BoundKeys>();
    return kNone;
  }
  return keys_;
}

BoundKeysPtr JwksCache::KeysFor(const std::string& kid) {
  BoundKeysPtr current = Keys();
  if (kid.empty() || HasKid(*current, kid)) return current;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const Clock::time_point now = Now();
    // A fetch is running (a refresh, or another request's unknown kid): wait
    // for it. Otherwise fetch, unless one was made for an unknown kid within
    // the window: a flood of made-up kids costs one fetch per window.
    if (fetching_ || !unknown_kid_fetched_ || now - last_unknown_kid_fetch_ >= options_.unknown_kid_window) {
      if (!fetching_) {
        unknown_kid_fetched_ = true;
        last_unknown_kid_fetch_ = now;
      }
      FetchLocked(lock).IgnoreError();  // the outcome is in keys_ / last_error_
    }
  }
  return Keys();
}

bool JwksCache::ready() const { return !Keys()->empty(); }

absl::Status JwksCache::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

size_t JwksCache::fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

void JwksCache::RunRefresher() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    const Clock::time_point now = Now();
    if (now >= next_refresh_ && !fetching_) {
      FetchLocked(lock).IgnoreError();
      continue;
    }
    auto wait = std::max<Clock::duration>(next_refresh_ - now, std::chrono::milliseconds(10));
    cv_.wait_for(lock, std::min<Clock::duration>(wait, std::chrono::seconds(60)), [&] { return stopping_; });
  }
}

}  // namespace tessera::identity
