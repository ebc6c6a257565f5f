#pragma once
// Runs callbacks at deadlines on one background thread; used to answer
// "Continue wait" when a query outlives the long-polling interval.
#include <chrono>
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

  void At(Clock::time_point when, std::function<void()> callback);

 private:
  void Run();
  absl::Mutex mu_;
  std::multimap<Clock::time_point, std::function<void()>> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tessera::api
