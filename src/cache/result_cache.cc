#include "cache/result_cache.h"

#include <vector>

namespace tessera::cache {

CachedResultPtr ResultCache::Get(const std::string& key, Clock::time_point now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.expires_at) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.value;
}

void ResultCache::Put(const std::string& key, CachedResultPtr value, Clock::time_point expires_at) {
  if (max_entries_ == 0) return;
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.value = std::move(value);
    it->second.expires_at = expires_at;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (entries_.size() >= max_entries_ && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{std::move(value), expires_at, lru_.begin()});
}

void ResultCache::Clear() {
  absl::MutexLock lock(&mu_);
  entries_.clear();
  lru_.clear();
}

size_t ResultCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

std::string CacheKey(const std::string& sql, const std::vector<std::pair<int, std::string>>& params) {
  // Length-prefixed fields: no choice of SQL or values can make two
  // different statements collide.
  std::string key;
  key.reserve(sql.size() + 32);
  key += std::to_string(sql.size());
  key += ':';
  key += sql;
  for (const auto& [type, text] : params) {
    key += '|';
    key += std::to_string(type);
    key += ':';
    key += std::to_string(text.size());
    key += ':';
    key += text;
  }
  return key;
}

}  // namespace tessera::cache
