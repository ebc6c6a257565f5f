#include "audit/reserve_filler.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace tessera::audit {

int WriteZeros(int fd, off_t at, off_t n) {
  static const char kZeros[ReserveFiller::kStep] = {};
  while (n > 0) {
    ssize_t w = ::pwrite(fd, kZeros, static_cast<size_t>(std::min<off_t>(n, sizeof kZeros)), at);
    if (w < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    at += w;
    n -= w;
  }
  return 0;
}

ReserveFiller::~ReserveFiller() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopping_ = true;
    ++job_;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReserveFiller::Fill(int fd, off_t from, off_t to) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    // The previous job takes no further step (without this the loop, which
    // holds the lock between steps, could keep this waiting to the end of
    // it); the step in progress finishes first, and the new job starts
    // where the caller says the durable zeros are.
    to_ = next_;
    changed_.wait(lock, [this] { return !stepping_; });
    ++job_;
    fd_ = fd;
    next_ = from;
    to_ = to;
    filled_end_.store(from, std::memory_order_release);
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  changed_.notify_all();
}

off_t ReserveFiller::Halt() {
  std::unique_lock<std::mutex> lock(mu_);
  to_ = next_;  // no step after the one in progress (see Fill)
  changed_.wait(lock, [this] { return !stepping_; });
  off_t end = fd_ >= 0 ? next_ : 0;
  ++job_;
  fd_ = -1;
  next_ = to_ = 0;
  filled_end_.store(0, std::memory_order_release);
  return end;
}

bool ReserveFiller::busy() const {
  std::unique_lock<std::mutex> lock(mu_);
  return fd_ >= 0 && (stepping_ || next_ < to_);
}

void ReserveFiller::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || (fd_ >= 0 && next_ < to_); });
    if (stopping_) return;
    const int fd = fd_;
    const off_t at = next_;
    const off_t n = std::min(kStep, to_ - at);
    const uint64_t job = job_;
    stepping_ = true;
    lock.unlock();
    // Written then synced, one step at a time: a batch's sync meanwhile
    // carries at most one step of zeros that are not durable yet.
    bool ok = WriteZeros(fd, at, n) == 0 && ::fdatasync(fd) == 0;
    lock.lock();
    stepping_ = false;
    if (job == job_) {
      if (ok) {
        next_ = at + n;
        filled_end_.store(next_, std::memory_order_release);
      } else {
        // The writer meets the same error when it extends the file itself,
        // and reports it there; nothing to do here but stop.
        to_ = next_;
      }
    }
    changed_.notify_all();
  }
}

}  // namespace tessera::audit
