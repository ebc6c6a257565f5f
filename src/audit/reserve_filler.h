#pragma once
// Zero-fills the active audit file ahead of its records from a thread of its
// own, and syncs what it wrote, so that the zeros are durable before any
// batch lands on them.
//
// Why: a batch's fdatasync flushes every dirty page of the file. When the
// writer itself extended the reserve (1 MiB of zeros every ~1,200 records),
// one sync in a hundred carried that megabyte and took ten times as long,
// and every request waiting for that batch waited with it (the benchmark's
// p99 `fdatasync` went from ~0.3 ms to ~3 ms on those batches). Here the
// zeros go out in small steps, each synced right away, while the writer goes
// on storing batches in front of them.
//
// The writer owns the file: it asks for a range (Fill), reads how far the
// durable zeros reach (filled_end), and calls Halt() before it truncates,
// closes or writes zeros itself; Halt waits for the step in progress, so no
// step ever touches a file the writer has changed behind it.
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tessera::audit {

// Writes `n` zero bytes to `fd` at `at`: 0, or the errno of the failed write.
// The filler's steps and the file sink's own extension (when the filler
// fell behind) share it.
int WriteZeros(int fd, off_t at, off_t n);

class ReserveFiller {
 public:
  // Bytes written (then synced) per step.
  static constexpr off_t kStep = 256 << 10;

  ReserveFiller() = default;
  ReserveFiller(const ReserveFiller&) = delete;
  ReserveFiller& operator=(const ReserveFiller&) = delete;
  ~ReserveFiller();  // halts and joins

  // Zero-fills `fd` over [from, to) in steps; `from` must be where durable
  // zeros (or records) already reach. Replaces an unfinished job. The
  // thread starts on first use.
  void Fill(int fd, off_t from, off_t to);

  // Stops the current job after its step in progress and returns where its
  // durable zeros end (0 if there was no job). The fd is the caller's again.
  off_t Halt();

  // Where the current job's durable zeros end (0: no job). Any thread.
  off_t filled_end() const { return filled_end_.load(std::memory_order_acquire); }

  // Whether a job is still filling (for tests and the writer's decision
  // to ask for more).
  bool busy() const;

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable changed_;
  int fd_ = -1;          // the job's file (-1: none)
  off_t next_ = 0;       // where the next step begins
  off_t to_ = 0;         // where the job ends
  uint64_t job_ = 0;     // bumped by Fill and Halt: a step of an old job is not counted
  bool stepping_ = false;
  bool stopping_ = false;
  std::atomic<off_t> filled_end_{0};
  std::thread thread_;
};

}  // namespace tessera::audit
