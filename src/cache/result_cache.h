#pragma once
// Query results kept in memory so a repeated dashboard does not hit the
// database. Keyed by the SQL text and its bound parameters (later issues add
// the tenant and policy fingerprint to the key). Entries expire after the
// cube's refresh_key interval; the cache holds at most `max_entries`, evicting
// the least recently used.
#include <chrono>
#include <cstddef>
#include <list>
#include <vector>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/synchronization/mutex.h"

namespace tessera::cache {

// What is cached: the formatted `data` rows (JSON text) and when they were
// read, for `lastRefreshTime`.
struct CachedResult {
  std::string data_json;
  std::string total_json;  // empty unless the query asked for total
  std::chrono::system_clock::time_point refreshed_at;
  size_t row_count = 0;
  // For a whole kept response: the audit record's account of how it was made
  // (rewritten queries, policies, SQL fingerprints, rows), so that a request
  // answered from it is recorded as fully as the one that made it.
  std::string audit_work;
};

using CachedResultPtr = std::shared_ptr<const CachedResult>;

class ResultCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ResultCache(size_t max_entries) : max_entries_(max_entries) {}

  // The entry for `key`, if present and not expired at `now`.
  CachedResultPtr Get(const std::string& key, Clock::time_point now);
  void Put(const std::string& key, CachedResultPtr value, Clock::time_point expires_at);
  size_t size() const;
  void Clear();

 private:
  struct Entry {
    CachedResultPtr value;
    Clock::time_point expires_at;
    std::list<std::string>::iterator lru;
  };
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // front = most recent
};

// The cache key of a statement: SQL and parameters, unambiguously joined.
std::string CacheKey(const std::string& sql, const std::vector<std::pair<int, std::string>>& params);

}  // namespace tessera::cache
