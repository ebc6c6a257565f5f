#pragma once
// Incremental HTTP/1.x request parsing with the server's size limits. The
// session feeds it whatever bytes arrived; it answers "need more", "here is
// a request" or "reject with this status". Beast stays inside the .cc.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace tessera::http {

struct RequestLimits {
  size_t max_target_bytes = 64 * 1024;
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 1 << 20;
};

// Why a request was refused before it reached the handler. The connection
// cannot be trusted to be in sync afterwards, so the session closes it.
// A complete request plus how its connection continues.
struct ParsedRequest {
  Request request;       // everything but client_address
  bool keep_alive = true;  // false: close after answering (HTTP/1.0, Connection: close)
  bool is_head = false;    // answer without a body
};

struct Rejection {
  int status = 400;
  std::string message;
  std::string request_id;  // the client's, when it was parsed and acceptable
};

class RequestReader {
 public:
  enum class State {
    kNeedMore,  // feed more bytes
    kComplete,  // TakeRequest()
    kRejected,  // rejection()
  };

  explicit RequestReader(const RequestLimits& limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Consumes a prefix of `bytes` and returns its length. Stops at the end of
  // one request, so pipelined bytes after it are left for the next one.
  size_t Feed(std::string_view bytes);
  State state() const { return state_; }

  // True once the header is complete, the body is still to come and the
  // client waits for "100 Continue" before sending it.
  bool expects_continue() const;

  // kComplete: hands over the request and resets the reader for the next
  // one on the connection.
  ParsedRequest TakeRequest();

  // kRejected.
  const Rejection& rejection() const { return rejection_; }

 private:
  struct Parser;

  void Reset();
  bool CheckHeader();
  void Reject(int status, std::string message);

  RequestLimits limits_;
  std::unique_ptr<Parser> parser_;
  State state_ = State::kNeedMore;
  size_t header_bytes_ = 0;  // request line + fields consumed so far
  bool keep_alive_ = false;
  bool is_head_ = false;
  Rejection rejection_;
};

}  // namespace tessera::http
