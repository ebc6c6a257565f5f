#pragma once
// The once-only Responder handed to a Handler. It may be copied, moved to a
// worker thread and called from there; the first call wins, later calls are
// ignored, and if every copy is destroyed without a call the client still
// gets an answer (500) so its connection never hangs on a lost request.
#include <cstdint>
#include <memory>

#include "http/http_types.h"

namespace tessera::http {

// Where a finished response goes: the connection that read the request.
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Thread-safe; `sequence` identifies the request on its connection.
  virtual void Deliver(uint64_t sequence, Response response) = 0;
};

Responder MakeResponder(std::shared_ptr<ResponseSink> sink, uint64_t sequence);

}  // namespace tessera::http
