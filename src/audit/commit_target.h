#pragma once
// Group commit: how many records the writer waits for before it syncs a
// batch.
//
// Every sync costs the same however many records it carries (on the
// project's VMs, two virtio requests and ~45 µs of CPU in VM exits, plus
// waking the writer), so under load larger batches are cheaper per request.
// Waiting for them costs latency, so the writer waits only for records that
// are likely to come within the commit delay, and never longer than it:
//   - at most the records expected in that time at the recent arrival rate
//     (a lone client, or a light load, is not held back at all);
//   - at most half the open connections: each of N clients that wait for
//     their answers can add one record, and waiting for half of them keeps
//     the other half at work (being answered, sending the next request)
//     while a batch is synced, instead of every client waiting on one sync.
// PostgreSQL (commit_delay with commit_siblings) and MySQL
// (binlog_group_commit_sync_delay with ..._no_delay_count) make the same
// trade with fixed numbers; here both bounds follow the load.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace tessera::audit {

// `arrivals_per_second`: the recent rate of records; `open_connections`:
// clients that could add one (nullopt: unknown, and then no wait). Always at
// least 1 (sync at once); 1 whenever `delay` is zero.
size_t GroupCommitTarget(double arrivals_per_second, std::chrono::microseconds delay,
                         std::optional<int64_t> open_connections);

// The arrival rate the writer keeps: records per second, averaged over the
// last few tens of milliseconds.
class ArrivalRate {
 public:
  // `records` were taken `since_last_take` after the previous batch.
  void Observe(size_t records, std::chrono::steady_clock::duration since_last_take);
  double per_second() const { return per_second_; }

 private:
  double per_second_ = 0;
};

}  // namespace tessera::audit
