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

DeadlineTimer::Ticket DeadlineTimer::At(Clock::time_point when, std::function<void()> callback) {
  absl::MutexLock lock(&mu_);
  Ticket ticket{when, ++next_id_};
  pending_.emplace(std::make_pair(when, ticket.id), std::move(callback));
  return ticket;
}

void DeadlineTimer::Cancel(const Ticket& ticket) {
  std::function<void()> dropped;  // destroyed outside the lock
  absl::MutexLock lock(&mu_);
  auto it = pending_.find(std::make_pair(ticket.when, ticket.id));
  if (it == pending_.end()) return;
  dropped = std::move(it->second);
  pending_.erase(it);
}

size_t DeadlineTimer::pending() const {
  absl::MutexLock lock(&mu_);
  return pending_.size();
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
      const Clock::time_point when = first->first.first;
      if (when > now) {
        auto wait = std::chrono::duration_cast<std::chrono::microseconds>(when - now);
        // Wake early if an earlier deadline is added or we are stopping.
        std::pair<DeadlineTimer*, Clock::time_point> arg(this, when);
        mu_.AwaitWithTimeout(
            absl::Condition(
                +[](std::pair<DeadlineTimer*, Clock::time_point>* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                  // Cancel may have emptied the map while this thread waited.
                  return a->first->stopping_ || a->first->pending_.empty() ||
                         a->first->pending_.begin()->first.first < a->second;
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
