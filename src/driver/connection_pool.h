#pragma once
// A small, capped pool of database connections shared by the SQLite and
// PostgreSQL data sources. Connections are opened lazily (a data source that
// is never queried never connects) and at most `capacity` exist at once; a
// caller that finds them all busy waits, up to a bound, for one to come back.
//
// Neither a sqlite3* nor a PGconn* may be used by two threads at once, so a
// connection belongs to exactly one Lease at a time.
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tessera::driver {

template <typename Conn>
class ConnectionPool {
 public:
  using Factory = std::function<absl::StatusOr<std::unique_ptr<Conn>>()>;

  // Exclusive use of one connection; returns it to the pool when destroyed
  // unless Discard() was called (a broken connection must not be reused).
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&& other) noexcept {
      if (this != &other) {
        Release();
        pool_ = std::exchange(other.pool_, nullptr);
        conn_ = std::move(other.conn_);
      }
      return *this;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Release(); }

    Conn* operator->() const { return conn_.get(); }
    Conn& operator*() const { return *conn_; }

    // Closes the connection instead of returning it; frees its slot.
    void Discard() {
      if (pool_ == nullptr) return;
      conn_.reset();
      pool_->Return(nullptr);
      pool_ = nullptr;
    }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    void Release() {
      if (pool_ == nullptr) return;
      pool_->Return(std::move(conn_));
      pool_ = nullptr;
    }

    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Conn> conn_;
  };

  ConnectionPool(int capacity, absl::Duration wait_timeout, Factory factory)
      : capacity_(capacity < 1 ? 1 : static_cast<size_t>(capacity)),
        wait_timeout_(wait_timeout),
        factory_(std::move(factory)) {}

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, or a new one while fewer than `capacity` exist, or
  // (all busy) the first one returned within the wait timeout. Unavailable on
  // timeout; the factory's error when opening a new connection fails.
  absl::StatusOr<Lease> Acquire() {
    {
      absl::MutexLock lock(&mu_);
      auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < capacity_;
      };
      if (!mu_.AwaitWithTimeout(absl::Condition(&can_proceed), wait_timeout_)) {
        return absl::UnavailableError(absl::StrCat("database busy: all ", capacity_,
                                                   " connections stayed in use for ",
                                                   absl::FormatDuration(wait_timeout_)));
      }
      if (!idle_.empty()) {
        // Most recently used first: it is the one most likely still alive
        // and warm (statement caches, server-side buffers).
        std::unique_ptr<Conn> conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
      }
      ++open_;  // reserve the slot; connect outside the lock (it can be slow)
    }
    absl::StatusOr<std::unique_ptr<Conn>> conn = factory_();
    if (!conn.ok()) {
      Return(nullptr);
      return conn.status();
    }
    return Lease(this, *std::move(conn));
  }

  // Closes every idle connection: after one connection turned out broken
  // (e.g. the server restarted) its idle siblings are most likely broken too.
  void DiscardIdle() {
    std::vector<std::unique_ptr<Conn>> doomed;
    {
      absl::MutexLock lock(&mu_);
      doomed.swap(idle_);
      open_ -= doomed.size();
    }
    // Closing happens outside the lock: PQfinish may write to a socket.
  }

  size_t open_connections() const {
    absl::MutexLock lock(&mu_);
    return open_;
  }
  size_t capacity() const { return capacity_; }

 private:
  void Return(std::unique_ptr<Conn> conn) {
    absl::MutexLock lock(&mu_);
    if (conn) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }

  const size_t capacity_;
  const absl::Duration wait_timeout_;
  const Factory factory_;

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Conn>> idle_ ABSL_GUARDED_BY(mu_);
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;  // idle + leased + being opened
};

}  // namespace tessera::driver
