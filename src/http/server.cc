#include "http/server.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "http/io_lane.h"
#include "http/listener.h"
#include "http/session.h"
#include "spdlog/spdlog.h"

namespace tessera::http {
namespace {

// How long Stop() lets aborted connections finish their last handlers
// before it abandons them.
constexpr std::chrono::seconds kStopGrace{5};

absl::Status ValidateOptions(const ServerOptions& options) {
  if (options.io_threads < 0) return absl::InvalidArgumentError("io_threads must be 0 (one per core) or more");
  if (options.max_body_bytes == 0 || options.max_target_bytes == 0 || options.max_header_bytes == 0) {
    return absl::InvalidArgumentError("request size limits must be positive");
  }
  if (options.read_timeout.count() <= 0 || options.idle_timeout.count() <= 0) {
    return absl::InvalidArgumentError("read and idle timeouts must be positive");
  }
  return absl::OkStatus();
}

// Deadlines are checked this often, so a timeout fires up to one tick late:
// a quarter of the shortest timeout, within [50 ms, 1 s].
std::chrono::milliseconds DeadlineTick(const ServerOptions& options) {
  const auto shortest = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::min(options.read_timeout, options.idle_timeout));
  return std::clamp(shortest / 4, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
}

class ServerImpl;
// Which server, if any, the current thread is an io thread of: Stop() from
// inside a handler must not try to join its own thread.
thread_local const ServerImpl* tls_io_thread_of = nullptr;

class ServerImpl final : public Server {
 public:
  ServerImpl(std::vector<std::shared_ptr<IoLane>> lanes, std::shared_ptr<Listener> listener,
             std::shared_ptr<const SessionConfig> config)
      : lanes_(std::move(lanes)), listener_(std::move(listener)), config_(std::move(config)) {}

  // Must not run on one of this server's own io threads (it joins them).
  ~ServerImpl() override { Stop(); }

  uint16_t port() const override { return listener_->port(); }

  void Start() override {
    std::lock_guard join_lock(join_mu_);
    {
      std::lock_guard lock(mu_);
      if (started_ || stop_requested_) return;
      started_ = true;
    }
    listener_->Start(lanes_, config_);
    threads_.reserve(lanes_.size());
    for (size_t i = 0; i < lanes_.size(); ++i) {
      try {
        {
          std::lock_guard lock(mu_);
          ++running_;
        }
        threads_.emplace_back([this, i] { RunLane(i); });
      } catch (const std::system_error& e) {
        spdlog::error("http: cannot start io thread {}: {}; stopping", i, e.what());
        std::lock_guard lock(mu_);
        --running_;
        start_failed_ = true;
        break;
      }
    }
    if (start_failed_) {
      // A lane without a thread would strand its connections.
      InitiateStop();
    }
  }

  void Stop() override {
    InitiateStop();
    // A thread cannot join itself; the destructor (or a Stop() from another
    // thread, such as a signal-handling thread) completes the shutdown.
    if (tls_io_thread_of == this) return;
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, kStopGrace, [this] { return running_ == 0; })) {
        spdlog::warn("http: connections did not finish within {} s of Stop(); abandoning them", kStopGrace.count());
        for (auto& lane : lanes_) lane->ForceStop();
      }
    }
    std::lock_guard join_lock(join_mu_);
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    bool started;
    {
      std::lock_guard lock(mu_);
      started = started_;
    }
    if (!started) {
      // Never started: run the queued shutdown work here so nothing stays
      // queued (and referenced) in an io_context nobody will run.
      for (auto& lane : lanes_) {
        lane->context().restart();
        lane->context().poll();
      }
    }
  }

  void Wait() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stop_requested_ && running_ == 0; });
  }

 private:
  void InitiateStop() {
    {
      std::lock_guard lock(mu_);
      if (stop_requested_) return;
      stop_requested_ = true;
    }
    cv_.notify_all();
    listener_->Close();
    for (auto& lane : lanes_) lane->BeginShutdown();
  }

  void RunLane(size_t index) {
    tls_io_thread_of = this;
    lanes_[index]->Run();
    tls_io_thread_of = nullptr;
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    cv_.notify_all();
  }

  const std::vector<std::shared_ptr<IoLane>> lanes_;
  const std::shared_ptr<Listener> listener_;
  const std::shared_ptr<const SessionConfig> config_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;         // guarded by mu_
  bool stop_requested_ = false;  // guarded by mu_
  bool start_failed_ = false;    // guarded by join_mu_
  size_t running_ = 0;           // io threads inside Run(); guarded by mu_

  std::mutex join_mu_;  // serialises creating and joining threads_
  std::vector<std::thread> threads_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(const ServerOptions& options, std::shared_ptr<Handler> handler) {
  if (handler == nullptr) return absl::InvalidArgumentError("the HTTP server needs a handler");
  TESSERA_RETURN_IF_ERROR(ValidateOptions(options));

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t thread_count = options.io_threads > 0 ? static_cast<size_t>(options.io_threads) : cores;
  const auto tick = DeadlineTick(options);
  std::vector<std::shared_ptr<IoLane>> lanes;
  lanes.reserve(thread_count);
  for (size_t i = 0; i < thread_count; ++i) lanes.push_back(std::make_shared<IoLane>(tick));

  TESSERA_ASSIGN_OR_RETURN(auto listener, Listener::Bind(lanes.front(), options.address, options.port));
  auto config = std::make_shared<const SessionConfig>(SessionConfig{options, std::move(handler)});
  return std::unique_ptr<Server>(new ServerImpl(std::move(lanes), std::move(listener), std::move(config)));
}

}  // namespace tessera::http
