#pragma once
// The listening socket: binds at startup (so configuration errors surface
// before anything runs) and hands accepted connections to the io lanes.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "http/io_lane.h"
#include "http/session.h"

namespace tessera::http {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds address:port on `home`'s io_context. Errors name the cause in
  // words an operator can act on ("port 4000 is in use").
  static absl::StatusOr<std::shared_ptr<Listener>> Bind(std::shared_ptr<IoLane> home, const std::string& address,
                                                        uint16_t port);

  uint16_t port() const { return port_; }

  // Starts accepting; connections go round-robin to `lanes`.
  void Start(std::vector<std::shared_ptr<IoLane>> lanes, std::shared_ptr<const SessionConfig> config);
  // Any thread: stops accepting and closes the socket.
  void Close();

  Listener(std::shared_ptr<IoLane> home, uint16_t port);

 private:
  using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

  void Accept();
  void OnAccept(const boost::system::error_code& ec, TcpSocket socket, std::shared_ptr<IoLane> lane);

  std::shared_ptr<IoLane> home_;
  Acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  uint16_t port_;
  std::vector<std::shared_ptr<IoLane>> lanes_;
  std::shared_ptr<const SessionConfig> config_;
  size_t next_lane_ = 0;
  bool closed_ = false;
};

}  // namespace tessera::http
