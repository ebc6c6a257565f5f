#include "api/query_runner.h"

#include <atomic>
#include <optional>

#include "api/result_json.h"
#include "base/status_macros.h"

namespace tessera::api {

namespace {
constexpr char kContinueWait[] = "Continue wait";
}

absl::Status ContinueWait() { return absl::AbortedError(kContinueWait); }
bool IsContinueWait(const absl::Status& s) {
  return s.code() == absl::StatusCode::kAborted && s.message() == kContinueWait;
}

struct QueryRunner::Waiter {
  std::atomic<bool> answered{false};
  ResultsCallback done;
  DeadlineTimer* timer = nullptr;
  absl::Mutex mu;
  std::optional<DeadlineTimer::Ticket> ticket ABSL_GUARDED_BY(mu);

  void Answer(absl::StatusOr<Results> r) {
    if (answered.exchange(true)) return;
    done(std::move(r));
    // Answered: the "Continue wait" callback (which holds this waiter and,
    // through `done`, the request) is not needed any more.
    absl::MutexLock lock(&mu);
    if (ticket) timer->Cancel(*ticket);
    ticket.reset();
  }
  // Records the timer's ticket, or cancels it at once if the answer came first.
  void Arm(DeadlineTimer& t, DeadlineTimer::Ticket armed) {
    absl::MutexLock lock(&mu);
    timer = &t;
    if (answered.load()) {
      t.Cancel(armed);
    } else {
      ticket = armed;
    }
  }
};

struct QueryRunner::Job {
  std::string key;
  std::vector<std::shared_ptr<const PreparedStatement>> statements;
  bool renew = false;
  std::vector<std::shared_ptr<Waiter>> waiters;  // guarded by QueryRunner::mu_
};

QueryRunner::QueryRunner(cache::ResultCache& cache, WorkerPool& workers, DeadlineTimer& timer,
                         std::chrono::milliseconds continue_wait)
    : cache_(cache),
      workers_(workers),
      timer_(timer),
      continue_wait_(continue_wait) {}

void QueryRunner::Run(std::vector<std::shared_ptr<const PreparedStatement>> statements, bool renew,
                      ResultsCallback done) {
  auto now = cache::ResultCache::Clock::now();
  if (!renew) {
    Results hits;
    for (const auto& s : statements) {
      auto hit = cache_.Get(s->cache_key, now);
      if (!hit) break;
      hits.push_back(std::move(hit));
    }
    if (hits.size() == statements.size()) {
      done(std::move(hits));
      return;
    }
  }
  std::string key = renew ? "renew\n" : "";
  for (const auto& s : statements) {
    key += s->cache_key;
    key += '\n';
  }
  auto waiter = std::make_shared<Waiter>();
  waiter->done = std::move(done);
  std::shared_ptr<Job> start;
  {
    absl::MutexLock lock(&mu_);
    auto it = in_flight_.find(key);
    if (it != in_flight_.end()) {
      it->second->waiters.push_back(waiter);
    } else {
      start = std::make_shared<Job>();
      start->key = key;
      start->statements = std::move(statements);
      start->renew = renew;
      start->waiters.push_back(waiter);
      in_flight_.emplace(key, start);
    }
  }
  if (start) workers_.Post([this, start] { Execute(start); });
  waiter->Arm(timer_, timer_.At(std::chrono::steady_clock::now() + continue_wait_,
                                [waiter] { waiter->Answer(ContinueWait()); }));
}

absl::StatusOr<cache::CachedResultPtr> QueryRunner::ExecuteOne(const PreparedStatement& s,
                                                               bool renew) {
  auto now = cache::ResultCache::Clock::now();
  if (!renew) {
    if (auto hit = cache_.Get(s.cache_key, now)) return hit;
  }
  TESSERA_ASSIGN_OR_RETURN(driver::ResultSet rows, s.source->Execute(s.compiled.sql, s.compiled.params));
  auto result = std::make_shared<cache::CachedResult>();
  result->data_json = DataJson(s.compiled, rows, s.blending_key, s.compare_label);
  result->row_count = rows.rows.size();
  result->refreshed_at = std::chrono::system_clock::now();
  if (s.compiled.total_sql) {
    TESSERA_ASSIGN_OR_RETURN(driver::ResultSet total,
                             s.source->Execute(*s.compiled.total_sql, s.compiled.total_params));
    if (!total.rows.empty() && !total.rows[0].empty() && total.rows[0][0]) {
      result->total_json = *total.rows[0][0];
    } else {
      result->total_json = "0";
    }
  }
  cache_.Put(s.cache_key, result, now + s.refresh_every);
  return cache::CachedResultPtr(std::move(result));
}

void QueryRunner::Execute(std::shared_ptr<Job> job) {
  absl::StatusOr<Results> outcome = Results{};
  for (const auto& s : job->statements) {
    auto r = ExecuteOne(*s, job->renew);
    if (!r.ok()) {
      outcome = r.status();
      break;
    }
    outcome->push_back(*std::move(r));
  }
  std::vector<std::shared_ptr<Waiter>> waiters;
  {
    absl::MutexLock lock(&mu_);
    waiters = std::move(job->waiters);
    in_flight_.erase(job->key);
  }
  for (auto& w : waiters) w->Answer(outcome);
}

}  // namespace tessera::api
