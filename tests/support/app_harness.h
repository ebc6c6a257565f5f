#pragma once
// Calls the API in-process (no sockets): builds an http::Request the way the
// server would and waits for the App's asynchronous answer.
#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <boost/json.hpp>

#include "api/app.h"
#include "http/http_types.h"

namespace tessera::testing {

inline http::Response Call(api::App& app, const std::string& method, const std::string& path,
                           std::map<std::string, std::string> params = {},
                           std::string body = {},
                           std::map<std::string, std::string> headers = {}) {
  http::Request req;
  req.headers = std::move(headers);  // names lower-cased, as the server delivers them
  req.method = method;
  req.path = path;
  req.query_params = std::move(params);
  req.body = std::move(body);
  req.client_address = "127.0.0.1";
  req.request_id = "test-request";
  auto promise = std::make_shared<std::promise<http::Response>>();
  auto future = promise->get_future();
  app.Handle(std::move(req), [promise](http::Response r) { promise->set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(120)) != std::future_status::ready) {
    http::Response r;
    r.status = -1;
    r.body = "timed out waiting for the App";
    return r;
  }
  return future.get();
}

// GET /cubejs-api/v1/load?query=<json>, repeated while the API says
// "Continue wait" (as Cube's client does).
inline http::Response Load(api::App& app, const std::string& query_json,
                           std::map<std::string, std::string> extra = {}) {
  extra["query"] = query_json;
  for (int i = 0; i < 100; ++i) {
    http::Response r = Call(app, "GET", "/cubejs-api/v1/load", extra);
    if (r.body != R"({"error":"Continue wait"})") return r;
  }
  http::Response r;
  r.status = -1;
  return r;
}

inline boost::json::value Json(const http::Response& r) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.body, ec);
  if (ec) return boost::json::value(r.body);
  return v;
}

}  // namespace tessera::testing
