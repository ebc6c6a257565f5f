#pragma once
// The responses the server itself produces when a request never reaches the
// handler (or the handler fails), in the API's JSON error shape.
#include <string_view>

#include "http/http_types.h"

namespace tessera::http {

// {"error": message} with the given status.
Response JsonErrorResponse(int status, std::string_view message);

// 500 for a handler that threw, dropped its responder or built an invalid
// response. The details go to the log, not to the client.
Response InternalErrorResponse();

}  // namespace tessera::http
