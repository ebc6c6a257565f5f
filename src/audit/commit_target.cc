#include "audit/commit_target.h"

#include <algorithm>
#include <cmath>

namespace tessera::audit {

size_t GroupCommitTarget(double arrivals_per_second, std::chrono::microseconds delay,
                         std::optional<int64_t> open_connections) {
  // Without a count of the clients, a lone client that waits for each
  // answer looks like a load: it would wait out the delay for records that
  // never come.
  if (delay.count() <= 0 || !(arrivals_per_second > 0) || !open_connections) return 1;
  double target = arrivals_per_second * std::chrono::duration<double>(delay).count();
  target = std::min(target, static_cast<double>(*open_connections) / 2);
  // Bounded so that a wild estimate cannot make one batch huge.
  constexpr double kMaxTarget = 4096;
  target = std::min(std::floor(target), kMaxTarget);
  return target < 1 ? 1 : static_cast<size_t>(target);
}

void ArrivalRate::Observe(size_t records, std::chrono::steady_clock::duration since_last_take) {
  double seconds = std::chrono::duration<double>(since_last_take).count();
  if (seconds <= 0) return;
  double now = static_cast<double>(records) / seconds;
  // Weighted by time, not by batch: the past counts less the longer ago it
  // is (20 ms to fall to 1/e), so a burst of small and large batches under
  // load averages out, and after a pause the first lone record is not held
  // back for the load of before the pause.
  constexpr double kMemorySeconds = 0.020;
  double kept = std::exp(-seconds / kMemorySeconds);
  per_second_ = kept * per_second_ + (1 - kept) * now;
}

}  // namespace tessera::audit
