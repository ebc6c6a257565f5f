#include "identity/verified_token_cache.h"

#include <algorithm>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity {
namespace {
constexpr std::size_t kShards = 16;
}  // namespace

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity, std::chrono::seconds max_age)
    : per_shard_capacity_(capacity == 0 ? 0 : std::max<std::size_t>(1, (capacity + kShards - 1) / kShards)),
      max_age_(max_age),
      shards_(capacity == 0 ? 0 : kShards) {}

std::string VerifiedTokenCache::KeyOf(std::string_view token) { return jose::crypto::Sha256(token); }

VerifiedTokenCache::Shard& VerifiedTokenCache::ShardOf(const std::string& key) {
  // The key is a uniformly distributed digest: its first byte picks the shard.
  return shards_[static_cast<unsigned char>(key[0]) % shards_.size()];
}

std::shared_ptr<const VerifiedToken> VerifiedTokenCache::Get(std::string_view token,
                                                             int64_t now_seconds) {
  if (shards_.empty()) return nullptr;
  std::string key = KeyOf(token);
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) return nullptr;
  if (now_seconds >= it->second->valid_until) {
    auto entry = it->second;
    shard.index.erase(it);
    shard.lru.erase(entry);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  return it->second->value;
}

void VerifiedTokenCache::Put(std::string_view token, std::shared_ptr<const VerifiedToken> verified,
                             int64_t now_seconds) {
  if (shards_.empty() || verified == nullptr) return;
  int64_t valid_until = now_seconds + max_age_.count();
  if (verified->has_exp) valid_until = std::min(valid_until, verified->exp);
  if (valid_until <= now_seconds) return;  // already at or past exp: nothing to keep
  std::string key = KeyOf(token);
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    it->second->value = std::move(verified);
    it->second->valid_until = valid_until;
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
    return;
  }
  shard.lru.push_front(Entry{std::move(key), std::move(verified), valid_until});
  shard.index.emplace(shard.lru.front().key, shard.lru.begin());
  while (shard.lru.size() > per_shard_capacity_) {
    shard.index.erase(shard.lru.back().key);
    shard.lru.pop_back();
  }
}

std::size_t VerifiedTokenCache::size() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard<std::mutex> lock(s.mu);
    n += s.lru.size();
  }
  return n;
}

}  // namespace tessera::identity
