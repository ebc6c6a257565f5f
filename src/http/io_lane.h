#pragma once
// One io thread's share of the server: an io_context run by exactly one
// thread, the connections that live on it, and a coarse clock that enforces
// their deadlines.
//
// Why one io_context per thread rather than one shared by all threads: a
// connection then lives on a single thread for its whole life, so its state
// needs no strand and no locks, the scheduler skips its cross-thread
// locking fast path (concurrency hint 1), and the cache stays warm. The
// listener spreads new connections over the lanes round-robin.
#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tessera::http {

// Sockets bound to a lane's io_context executor directly: no type-erased
// executor on the per-operation path.
using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// What a lane needs from a connection. Called on the lane's thread only.
class LaneMember {
 public:
  virtual ~LaneMember() = default;
  // When the connection has waited too long for its peer; max() for never.
  virtual std::chrono::steady_clock::time_point deadline() const = 0;
  // The deadline passed: cut the connection off.
  virtual void OnDeadline() = 0;
  // The server is stopping: close at once.
  virtual void Abort() = 0;
};

class IoLane {
 public:
  // `tick`: how often deadlines are checked, i.e. how late a timeout may
  // fire. One timer per lane instead of one re-armed per read keeps timer
  // work off the per-request path.
  explicit IoLane(std::chrono::milliseconds tick);
  IoLane(const IoLane&) = delete;
  IoLane& operator=(const IoLane&) = delete;

  boost::asio::io_context& context() { return context_; }
  boost::asio::io_context::executor_type executor() { return context_.get_executor(); }

  // Runs the io_context on the calling thread until the lane has shut down
  // and its last operation has finished. Exceptions escaping a completion
  // handler are logged and the loop resumes.
  void Run();

  // Lane thread only. Tracks a new connection; false once shutdown began
  // (the caller must then close it).
  bool Adopt(std::weak_ptr<LaneMember> member);

  // Any thread: aborts every connection, stops the clock and lets Run()
  // return once the remaining operations complete.
  void BeginShutdown();
  // Any thread: abandons whatever is still running (last resort).
  void ForceStop() { context_.stop(); }

 private:
  void ScheduleTick();
  void Sweep();
  void ShutdownOnThread();

  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::steady_timer tick_timer_;
  const std::chrono::milliseconds tick_;
  std::vector<std::weak_ptr<LaneMember>> members_;
  bool shutting_down_ = false;
  bool ticking_ = false;
};

}  // namespace tessera::http
