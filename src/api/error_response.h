#pragma once
// The one place where a failed stage becomes an HTTP response.
#include "absl/status/status.h"

#include "http/http_types.h"

namespace tessera::api {

// InvalidArgument -> 400 {"type":"UserError","error":msg}
// Unauthenticated / PermissionDenied -> 403 {"error":msg}
// NotFound -> 404, ResourceExhausted -> 413, Unavailable -> 503,
// anything else -> 500 with a generic message (details go to the log only).
http::Response ErrorResponse(const absl::Status& status, const std::string& request_id);

// A JSON body with the given status: {"error": message}.
http::Response JsonError(int http_status, std::string_view message);

}  // namespace tessera::api
