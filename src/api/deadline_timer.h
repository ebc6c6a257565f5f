#pragma once
// Runs callbacks at deadlines on one background thread; used to answer
// "Continue wait" when a query outlives the long-polling interval.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <thread>

#include "absl/synchronization/mutex.h"

namespace tessera::api {

class DeadlineTimer {
 public:
  using Clock = std::chrono::steady_clock;
  DeadlineTimer();
  ~DeadlineTimer();
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Identifies one scheduled callback, for Cancel.
  struct Ticket {
    Clock::time_point when;
    uint64_t id = 0;
  };
  Ticket At(Clock::time_point when, std::function<void()> callback);
  // Drops the callback (and what it holds) if it has not run yet. A query
  // answered in a millisecond must not keep its request's state alive until
  // the long-polling deadline.
  void Cancel(const Ticket& ticket);
  size_t pending() const;

 private:
  void Run();
  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::pair<Clock::time_point, uint64_t>, std::function<void()>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tessera::api
