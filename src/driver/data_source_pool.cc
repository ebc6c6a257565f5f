#include "driver/data_source_pool.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tessera::driver {
namespace {

DataSourcePoolOptions WithDefaults(DataSourcePoolOptions options) {
  if (!options.now) options.now = [] { return std::chrono::steady_clock::now(); };
  options.max_open = std::max<size_t>(1, options.max_open);  // the source just opened stays
  return options;
}

}  // namespace

DataSourcePool::DataSourcePool(DataSourcePoolOptions options)
    : options_(WithDefaults(std::move(options))) {
  if (options_.background_sweeper) sweeper_ = std::thread([this] { SweepUntilStopped(); });
}

DataSourcePool::~DataSourcePool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (sweeper_.joinable()) sweeper_.join();
}

absl::StatusOr<DataSourcePtr> DataSourcePool::Get(const std::string& key, const Opener& open) {
  std::shared_ptr<Attempt> attempt;
  {
    absl::MutexLock lock(&mu_);
    if (auto it = open_.find(key); it != open_.end()) {
      it->second.last_used = options_.now();
      lru_.splice(lru_.begin(), lru_, it->second.lru_pos);
      return it->second.source;
    }
    if (auto it = opening_.find(key); it != opening_.end()) {
      // Someone else is opening it: share their result, success or failure.
      std::shared_ptr<Attempt> theirs = it->second;
      mu_.Await(absl::Condition(&theirs->done));
      return theirs->result;
    }
    attempt = std::make_shared<Attempt>();
    opening_.emplace(key, attempt);
  }

  // Outside the lock: opening may connect to a database and take seconds.
  absl::StatusOr<DataSourcePtr> result;
  try {
    result = open();
  } catch (...) {
    // Waiters must not hang on an attempt that will never finish.
    absl::MutexLock lock(&mu_);
    attempt->result = absl::InternalError("data source opener threw an exception");
    attempt->done = true;
    opening_.erase(key);
    throw;
  }
  if (result.ok() && *result == nullptr) {
    result = absl::InternalError("data source opener returned no data source");
  }

  std::vector<DataSourcePtr> evicted;  // destroyed after the lock is released
  absl::MutexLock lock(&mu_);
  attempt->result = result;
  attempt->done = true;
  opening_.erase(key);  // a failure is not remembered: the next Get tries again
  if (!result.ok()) return result;
  ++opened_total_;
  lru_.push_front(key);
  open_[key] = Entry{*result, options_.now(), lru_.begin()};
  while (open_.size() > options_.max_open) {
    auto victim = open_.find(lru_.back());
    evicted.push_back(std::move(victim->second.source));
    open_.erase(victim);
    lru_.pop_back();
  }
  return result;
}

size_t DataSourcePool::CloseIdle() {
  // Destroying a source closes its connections (network I/O for
  // PostgreSQL): that happens after the lock is released.
  std::vector<DataSourcePtr> closed;
  absl::MutexLock lock(&mu_);
  const Clock::time_point now = options_.now();
  // Least recently used first; stop at the first one still in use.
  while (!lru_.empty()) {
    auto it = open_.find(lru_.back());
    if (now - it->second.last_used < options_.idle_timeout) break;
    closed.push_back(std::move(it->second.source));
    open_.erase(it);
    lru_.pop_back();
  }
  return closed.size();
}

size_t DataSourcePool::open_count() const {
  absl::MutexLock lock(&mu_);
  return open_.size();
}

size_t DataSourcePool::opened_total() const {
  absl::MutexLock lock(&mu_);
  return opened_total_;
}

void DataSourcePool::SweepUntilStopped() {
  const absl::Duration period =
      std::max(absl::Seconds(1), absl::FromChrono(options_.idle_timeout) / 4);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), period)) return;
    }
    CloseIdle();
  }
}

}  // namespace tessera::driver
