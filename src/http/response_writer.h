#pragma once
// Turns a handler's Response into the bytes of an HTTP/1.1 response head.
// The server, not the handler, owns framing: Content-Length, Connection,
// Keep-Alive, Transfer-Encoding and x-request-id supplied by a handler are
// ignored so that a handler bug cannot desynchronise a keep-alive connection.
#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "http/http_types.h"

namespace tessera::http {

struct ResponseFraming {
  std::string_view request_id;
  bool keep_alive = true;
  std::chrono::seconds keep_alive_timeout{60};  // advertised in Keep-Alive
};

// 1xx, 204 and 304 responses carry no body and no Content-Length (RFC 9110
// 8.6); every other status carries both.
bool StatusAllowsBody(int status);

// The status line and header block, ending with the blank line.
// InvalidArgument when the status is not a final status (200-599) or a
// handler-supplied header would break the message (a CR/LF/NUL in a value,
// a name that is not an HTTP token): such a response must not be sent.
absl::StatusOr<std::string> SerializeResponseHead(const Response& response,
                                                  const ResponseFraming& framing);

std::string_view ReasonPhrase(int status);

}  // namespace tessera::http
