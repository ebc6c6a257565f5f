#include "http/responder.h"

#include <atomic>
#include <exception>
#include <utility>

#include "http/error_responses.h"
#include "spdlog/spdlog.h"

namespace tessera::http {
namespace {

// Shared by every copy of one Responder; its destructor runs when the last
// copy goes, which is how a forgotten response is noticed.
class OnceGuard {
 public:
  OnceGuard(std::shared_ptr<ResponseSink> sink, uint64_t sequence)
      : sink_(std::move(sink)), sequence_(sequence) {}
  OnceGuard(const OnceGuard&) = delete;
  OnceGuard& operator=(const OnceGuard&) = delete;

  ~OnceGuard() {
    if (answered_.load(std::memory_order_acquire)) return;
    spdlog::error("http: handler dropped its responder without answering; sending 500");
    // A destructor may run during unwinding: nothing may escape it.
    try {
      sink_->Deliver(sequence_, InternalErrorResponse());
    } catch (const std::exception& e) {
      spdlog::error("http: could not deliver the 500 for a dropped responder: {}", e.what());
    } catch (...) {
    }
  }

  void Answer(Response response) {
    if (answered_.exchange(true, std::memory_order_acq_rel)) {
      spdlog::warn("http: responder called more than once; extra response ignored");
      return;
    }
    // Only the winning caller gets here, and the destructor does not touch
    // sink_ once answered, so the connection is released as soon as possible
    // even if the handler keeps copies of the Responder around.
    std::shared_ptr<ResponseSink> sink = std::move(sink_);
    sink->Deliver(sequence_, std::move(response));
  }

 private:
  std::shared_ptr<ResponseSink> sink_;
  const uint64_t sequence_;
  std::atomic<bool> answered_{false};
};

}  // namespace

Responder MakeResponder(std::shared_ptr<ResponseSink> sink, uint64_t sequence) {
  auto guard = std::make_shared<OnceGuard>(std::move(sink), sequence);
  return [guard = std::move(guard)](Response response) { guard->Answer(std::move(response)); };
}

}  // namespace tessera::http
