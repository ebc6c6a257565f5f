#pragma once
// Error categories shared by every stage. The HTTP layer maps them to
// responses in exactly one place (api/error_response.cc):
//   InvalidArgument  -> 400 {"type":"UserError","error":...}  (the client's query is wrong)
//   PermissionDenied -> 403 {"error":...}
//   Unauthenticated  -> 403 {"error":...}  (Cube answers 403 for token problems)
//   ResourceExhausted-> 413 (body too large)
//   Unavailable      -> 503 (database down)
//   anything else    -> 500 {"error":"Internal Server Error"} with details only in the log.
#include <string_view>

#include "absl/status/status.h"
#include "base/absl_compat.h"

namespace tessera {

// A mistake in the query or model reference that the client can fix.
inline absl::Status UserError(std::string_view message) {
  return absl::InvalidArgumentError(AsAbsl(message));
}

}  // namespace tessera
