#pragma once
// An HTTP/1.1 server on Boost.Beast: keep-alive, pipelining, bounded request
// sizes (413 for a large body, 414 for a long target), read and idle
// timeouts, one io thread per core.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "http/http_types.h"

namespace tessera::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 4000;  // 0: pick a free port (tests)
  int io_threads = 0;    // 0: one per core
  size_t max_body_bytes = 1 << 20;       // 413 above this
  size_t max_target_bytes = 64 * 1024;   // 414 above this (URL incl. query string)
  size_t max_header_bytes = 64 * 1024;   // 431 above this
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds idle_timeout{60};
  // When set, counts the open connections (who else wants to know how many
  // clients are there: the audit log's group commit, see audit_log.h).
  std::shared_ptr<std::atomic<int64_t>> open_connections;
};

class Server {
 public:
  // Binds and listens; does not yet accept.
  static absl::StatusOr<std::unique_ptr<Server>> Create(const ServerOptions& options,
                                                        std::shared_ptr<Handler> handler);
  virtual ~Server() = default;

  virtual uint16_t port() const = 0;  // the bound port (useful with port 0)
  // Starts the io threads; returns at once.
  virtual void Start() = 0;
  // Stops accepting, closes connections, joins threads. Idempotent.
  virtual void Stop() = 0;
  // Blocks until Stop() is called (from a signal handler thread, say).
  virtual void Wait() = 0;
};

}  // namespace tessera::http
