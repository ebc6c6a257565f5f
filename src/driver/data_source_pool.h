#pragma once
// Data sources keyed by a string, for multi-tenancy: one data source per
// tenant (its own database file, or its own PostgreSQL schema), opened only
// when a request for that tenant first arrives, shared by all its requests,
// and closed again when the tenant goes quiet. Without this, either every
// tenant's source (each with its own connection pool) would be opened at
// startup, or tenants would accumulate open connections forever; the pool
// bounds both how many stay open and for how long.
//
// "Closing" only drops the pool's reference: a request that still holds the
// DataSourcePtr finishes normally, and the source (with its connections) is
// destroyed when the last holder lets go.
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "driver/data_source.h"

namespace tessera::driver {

struct DataSourcePoolOptions {
  size_t max_open = 256;                   // open sources kept; least recently used closed beyond this
  std::chrono::seconds idle_timeout{300};  // a source unused (no Get) this long is closed
  bool background_sweeper = true;  // a thread calls CloseIdle() every max(1s, idle_timeout/4)
  // Injectable clock (tests); empty: std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> now;
};

class DataSourcePool {
 public:
  using Opener = std::function<absl::StatusOr<DataSourcePtr>()>;

  explicit DataSourcePool(DataSourcePoolOptions options = {});
  ~DataSourcePool();  // stops and joins the sweeper
  DataSourcePool(const DataSourcePool&) = delete;
  DataSourcePool& operator=(const DataSourcePool&) = delete;

  // The source for `key`: opened with `open` on first use (or after it was
  // closed), then shared. Concurrent first uses of one key open it once (the
  // others wait for that result); a failure goes to those callers and is not
  // remembered, so the next call tries again. `open` runs without the pool's
  // lock: a slow open of one key does not hold up other keys.
  absl::StatusOr<DataSourcePtr> Get(const std::string& key, const Opener& open);

  // Closes sources not used for idle_timeout or longer; returns how many.
  size_t CloseIdle();

  size_t open_count() const;
  size_t opened_total() const;  // how many times an opener succeeded (tests, metrics)

 private:
  using Clock = std::chrono::steady_clock;

  struct Entry {
    DataSourcePtr source;
    Clock::time_point last_used;
    std::list<std::string>::iterator lru_pos;
  };
  // One in-flight open, shared with the callers waiting for it. Its fields
  // are guarded by mu_ (the analysis cannot name an outer mutex).
  struct Attempt {
    bool done = false;
    absl::StatusOr<DataSourcePtr> result;
  };

  void SweepUntilStopped();

  const DataSourcePoolOptions options_;

  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Entry> open_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // keys of open_, most recently used first
  std::unordered_map<std::string, std::shared_ptr<Attempt>> opening_ ABSL_GUARDED_BY(mu_);
  size_t opened_total_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  std::thread sweeper_;  // last: starts after everything it touches exists
};

}  // namespace tessera::driver
