#pragma once
// One client connection: reads requests (keep-alive, pipelined), hands them
// to the Handler, and writes the responses back in request order.
#include <memory>

#include "http/http_types.h"
#include "http/io_lane.h"
#include "http/server.h"

namespace tessera::http {

// What every connection of one server shares.
struct SessionConfig {
  ServerOptions options;
  std::shared_ptr<Handler> handler;
};

// Takes over an accepted socket that belongs to `lane` and runs the
// connection on the lane's thread until either side closes it. Callable
// from any thread.
void StartSession(TcpSocket socket, std::shared_ptr<IoLane> lane, std::shared_ptr<const SessionConfig> config);

}  // namespace tessera::http
