#pragma once
// The HTTP server's view of a request and a response, free of Beast types so
// the API stages above it do not depend on the network library.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tessera::http {

struct Request {
  std::string method;  // "GET", "POST", "OPTIONS", ...
  std::string path;    // decoded path without the query string: "/cubejs-api/v1/load"
  // Decoded query-string parameters (last one wins for repeated names).
  std::map<std::string, std::string> query_params;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
  std::string client_address;  // "127.0.0.1"
  std::string request_id;      // from x-request-id if sane, else generated

  const std::string* Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
  const std::string* QueryParam(const std::string& name) const {
    auto it = query_params.find(name);
    return it == query_params.end() ? nullptr : &it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Completes a request. May be called from any thread, exactly once.
using Responder = std::function<void(Response)>;

// The application behind the server. Handle() runs on an io thread: answer
// at once for cheap work (a cache hit), or hand the Responder to a worker.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void Handle(Request request, Responder respond) = 0;
};

}  // namespace tessera::http
