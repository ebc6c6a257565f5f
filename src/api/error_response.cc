#include "api/error_response.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace tessera::api {

namespace {
std::string Str(absl::string_view s) { return std::string(s.data(), s.size()); }
}  // namespace

http::Response JsonError(int http_status, std::string_view message) {
  http::Response r;
  r.status = http_status;
  boost::json::object o;
  o["error"] = boost::json::string_view(message.data(), message.size());
  r.body = boost::json::serialize(o);
  return r;
}

http::Response ErrorResponse(const absl::Status& status, const std::string& request_id) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: {
      http::Response r;
      r.status = 400;
      boost::json::object o;
      o["type"] = "UserError";
      o["error"] = Str(status.message());
      r.body = boost::json::serialize(o);
      return r;
    }
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return JsonError(403, Str(status.message()));
    case absl::StatusCode::kNotFound:
      return JsonError(404, Str(status.message()));
    case absl::StatusCode::kResourceExhausted:
      return JsonError(413, Str(status.message()));
    case absl::StatusCode::kUnavailable:
      // The message is ours ("database unavailable: ..."), written without
      // credentials by the driver.
      return JsonError(503, Str(status.message()));
    case absl::StatusCode::kDeadlineExceeded:
      return JsonError(504, "Query timed out");
    default:
      // SQL errors and bugs: the client gets the request id to quote, the
      // log gets the details.
      spdlog::error("request {} failed: {}", request_id, Str(status.ToString()));
      return JsonError(500, "Internal Server Error (request id " + request_id + ")");
  }
}

}  // namespace tessera::api
