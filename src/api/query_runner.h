#pragma once
// Runs compiled queries against the data source through the result cache,
// sharing one database round trip among identical concurrent requests, and
// answering "Continue wait" when a query takes longer than the long-polling
// interval (the client repeats the request and picks up the result).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

#include "api/deadline_timer.h"
#include "api/worker_pool.h"
#include "cache/result_cache.h"
#include "driver/data_source.h"
#include "sql/compiled_query.h"

namespace tessera::api {

struct PreparedStatement {
  sql::CompiledQuery compiled;
  driver::DataSourcePtr source;  // the tenant's database
  // Starts with the tenant's cache namespace: identical SQL on two tenants'
  // databases never shares a result.
  std::string cache_key;
  std::chrono::seconds refresh_every{10};
  std::string blending_key;   // "time.month" for a blended (multi) query, else empty
  std::string compare_label;  // "<from> - <to>" for one range of a compareDateRange query
};

using Results = std::vector<cache::CachedResultPtr>;
using ResultsCallback = std::function<void(absl::StatusOr<Results>)>;

// The status a callback receives when the wait elapsed first.
absl::Status ContinueWait();
bool IsContinueWait(const absl::Status& s);

class QueryRunner {
 public:
  QueryRunner(cache::ResultCache& cache, WorkerPool& workers, DeadlineTimer& timer,
              std::chrono::milliseconds continue_wait);

  // Calls `done` exactly once, possibly on the calling thread (all cached).
  void Run(std::vector<std::shared_ptr<const PreparedStatement>> statements, bool renew,
           ResultsCallback done);

 private:
  struct Job;
  struct Waiter;
  void Execute(std::shared_ptr<Job> job);
  absl::StatusOr<cache::CachedResultPtr> ExecuteOne(const PreparedStatement& s, bool renew);

  cache::ResultCache& cache_;
  WorkerPool& workers_;
  DeadlineTimer& timer_;
  std::chrono::milliseconds continue_wait_;
  absl::Mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Job>> in_flight_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tessera::api
