#pragma once
// Tokens already verified, so a dashboard's tenth request with the same token
// costs a hash lookup instead of a signature check (and a JWE decryption).
//
// Keyed by SHA-256 of the token text — the token itself is never stored, so a
// memory dump does not hand out bearer credentials. An entry lives until the
// token's exp at the latest (and at most max_age for tokens without exp), and
// the cache is bounded (least recently used entries leave first). Sharded so
// io threads rarely contend. Only successes are cached: a refused token is
// checked again each time, and the policy that accepted a token is immutable
// for the cache's lifetime.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "identity/token_verifier.h"

namespace tessera::identity {

class VerifiedTokenCache {
 public:
  // capacity 0 disables the cache.
  VerifiedTokenCache(std::size_t capacity, std::chrono::seconds max_age);

  // nullptr on a miss or an expired entry.
  std::shared_ptr<const VerifiedToken> Get(std::string_view token, int64_t now_seconds);
  void Put(std::string_view token, std::shared_ptr<const VerifiedToken> verified,
           int64_t now_seconds);
  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const VerifiedToken> value;
    int64_t valid_until = 0;  // exclusive, seconds since the epoch
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // front: most recently used
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  };
  static std::string KeyOf(std::string_view token);
  Shard& ShardOf(const std::string& key);

  std::size_t per_shard_capacity_;
  std::chrono::seconds max_age_;
  std::vector<Shard> shards_;
};

}  // namespace tessera::identity
