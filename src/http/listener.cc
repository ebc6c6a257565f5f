#include "http/listener.h"

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace tessera::http {
namespace {

namespace asio = boost::asio;
using ErrorCode = boost::system::error_code;

absl::Status BindError(const std::string& address, uint16_t port, const ErrorCode& ec) {
  const std::string where = absl::StrCat("cannot listen on ", address, ":", port, ": ");
  if (ec == asio::error::address_in_use) {
    return absl::UnavailableError(absl::StrCat(where, "port ", port, " is in use"));
  }
  if (ec == asio::error::access_denied) {
    return absl::PermissionDeniedError(
        absl::StrCat(where, "permission denied (ports below 1024 need privileges)"));
  }
  if (ec == boost::system::errc::address_not_available) {
    return absl::InvalidArgumentError(absl::StrCat(where, "address ", address, " is not an address of this machine"));
  }
  return absl::UnavailableError(absl::StrCat(where, ec.message()));
}

}  // namespace

Listener::Listener(std::shared_ptr<IoLane> home, uint16_t port)
    : home_(std::move(home)), acceptor_(home_->context()), retry_timer_(home_->context()), port_(port) {}

absl::StatusOr<std::shared_ptr<Listener>> Listener::Bind(std::shared_ptr<IoLane> home, const std::string& address,
                                                         uint16_t port) {
  ErrorCode ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("'", address, "' is not an IP address"));
  const asio::ip::tcp::endpoint endpoint(ip, port);

  auto listener = std::make_shared<Listener>(std::move(home), port);
  Acceptor& acceptor = listener->acceptor_;
  if (acceptor.open(endpoint.protocol(), ec)) return BindError(address, port, ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT;
  // on Linux it still refuses a port someone is listening on.
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec)) return BindError(address, port, ec);
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec)) return BindError(address, port, ec);
  listener->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return BindError(address, port, ec);
  return listener;
}

void Listener::Start(std::vector<std::shared_ptr<IoLane>> lanes, std::shared_ptr<const SessionConfig> config) {
  lanes_ = std::move(lanes);
  config_ = std::move(config);
  asio::dispatch(home_->executor(), [self = shared_from_this()] { self->Accept(); });
}

void Listener::Close() {
  asio::dispatch(home_->executor(), [self = shared_from_this()] {
    self->closed_ = true;
    ErrorCode ignored;
    self->acceptor_.close(ignored);
    self->retry_timer_.cancel();
  });
}

void Listener::Accept() {
  if (closed_) return;
  std::shared_ptr<IoLane> lane = lanes_[next_lane_];
  next_lane_ = (next_lane_ + 1) % lanes_.size();
  // The new socket is created on its lane's io_context, so the connection
  // runs there from its first operation on.
  IoLane& target = *lane;
  acceptor_.async_accept(target.context(), [self = shared_from_this(), lane = std::move(lane)](
                                               const ErrorCode& ec, TcpSocket socket) mutable {
    self->OnAccept(ec, std::move(socket), std::move(lane));
  });
}

void Listener::OnAccept(const ErrorCode& ec, TcpSocket socket, std::shared_ptr<IoLane> lane) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (!ec) {
    StartSession(std::move(socket), std::move(lane), config_);
    Accept();
    return;
  }
  if (ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory) {
    // Out of file descriptors: accepting again at once would spin. Pause so
    // closing connections can free some.
    spdlog::warn("http: accept failed ({}); retrying in 100 ms", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](const ErrorCode& wait_ec) {
      if (!wait_ec) self->Accept();
    });
    return;
  }
  // A connection reset before we accepted it, and the like: only that
  // client is affected.
  spdlog::debug("http: accept failed: {}", ec.message());
  Accept();
}

}  // namespace tessera::http
