#include "http/io_lane.h"

#include <exception>

#include <boost/asio/post.hpp>

#include "spdlog/spdlog.h"

namespace tessera::http {

IoLane::IoLane(std::chrono::milliseconds tick)
    : work_(context_.get_executor()), tick_timer_(context_), tick_(tick) {}

void IoLane::Run() {
  boost::asio::post(context_, [this] { ScheduleTick(); });
  for (;;) {
    try {
      context_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: exception escaped an io handler: {}", e.what());
    } catch (...) {
      spdlog::error("http: unknown exception escaped an io handler");
    }
  }
}

bool IoLane::Adopt(std::weak_ptr<LaneMember> member) {
  if (shutting_down_) return false;
  members_.push_back(std::move(member));
  return true;
}

void IoLane::BeginShutdown() {
  boost::asio::post(context_, [this] { ShutdownOnThread(); });
}

void IoLane::ShutdownOnThread() {
  if (shutting_down_) return;
  shutting_down_ = true;
  tick_timer_.cancel();
  // Abort() may drop the last reference to a member, so work on a copy.
  auto members = std::move(members_);
  members_.clear();
  for (auto& weak : members) {
    if (auto member = weak.lock()) member->Abort();
  }
  work_.reset();
}

void IoLane::ScheduleTick() {
  if (shutting_down_ || ticking_) return;
  ticking_ = true;
  tick_timer_.expires_after(tick_);
  // The timer belongs to this lane's io_context, which the lane owns, so
  // the handler can never outlive `this`.
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    ticking_ = false;
    if (ec || shutting_down_) return;
    Sweep();
    ScheduleTick();
  });
}

void IoLane::Sweep() {
  const auto now = std::chrono::steady_clock::now();
  // Compact in place while checking: finished connections simply vanish
  // from the list the next time round.
  size_t kept = 0;
  for (size_t i = 0; i < members_.size(); ++i) {
    auto member = members_[i].lock();
    if (!member) continue;
    if (member->deadline() <= now) member->OnDeadline();
    if (kept != i) members_[kept] = std::move(members_[i]);
    ++kept;
  }
  members_.resize(kept);
}

}  // namespace tessera::http
