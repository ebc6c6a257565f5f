#include "api/deadline_timer.h"

#include "absl/time/time.h"

namespace tessera::api {

DeadlineTimer::DeadlineTimer() : thread_([this] { Run(); }) {}

DeadlineTimer::~DeadlineTimer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void DeadlineTimer::At(Clock::time_point when, std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  pending_.emplace(when, std::move(callback));
}

void DeadlineTimer::Run() {
  for (;;) {
    std::function<void()> due;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      if (pending_.empty()) {
        mu_.AwaitWithTimeout(absl::Condition(
                                 +[](DeadlineTimer* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(t->mu_) {
                                   return t->stopping_ || !t->pending_.empty();
                                 },
                                 this),
                             absl::Seconds(1));
        continue;
      }
      auto first = pending_.begin();
      auto now = Clock::now();
      if (first->first > now) {
        auto wait = std::chrono::duration_cast<std::chrono::microseconds>(first->first - now);
        // Wake early if an earlier deadline is added or we are stopping.
        std::pair<DeadlineTimer*, Clock::time_point> arg(this, first->first);
        mu_.AwaitWithTimeout(
            absl::Condition(
                +[](std::pair<DeadlineTimer*, Clock::time_point>* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                  // Only this thread erases entries, so the map is non-empty here.
                  return a->first->stopping_ || a->first->pending_.begin()->first < a->second;
                },
                &arg),
            absl::FromChrono(wait));
        continue;
      }
      due = std::move(first->second);
      pending_.erase(first);
    }
    due();
  }
}

}  // namespace tessera::api
