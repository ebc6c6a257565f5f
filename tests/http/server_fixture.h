#pragma once
// Shared scaffolding for the server tests: a Handler made from a lambda, a
// fixture that runs a Server on 127.0.0.1 with a free port, and a place for
// handler-spawned worker threads to be joined before the server goes away.
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "http/server.h"
#include "test_client.h"

namespace tessera::http::testing {

class FunctionHandler : public Handler {
 public:
  using Fn = std::function<void(Request, Responder)>;
  explicit FunctionHandler(Fn fn) : fn_(std::move(fn)) {}
  void Handle(Request request, Responder respond) override { fn_(std::move(request), std::move(respond)); }

 private:
  Fn fn_;
};

inline Response TextResponse(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    JoinWorkers();
    server_.reset();
  }

  ServerOptions TestOptions() {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    return options;
  }

  void StartServer(FunctionHandler::Fn fn) { StartServer(TestOptions(), std::move(fn)); }
  void StartServer(ServerOptions options, FunctionHandler::Fn fn) {
    auto server = Server::Create(options, std::make_shared<FunctionHandler>(std::move(fn)));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
  }

  uint16_t port() const { return server_->port(); }

  // Runs `work` on a new thread, as a handler handing off to a worker would.
  void RunOnWorker(std::function<void()> work) {
    std::lock_guard lock(workers_mu_);
    workers_.emplace_back(std::move(work));
  }

  void JoinWorkers() {
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(workers_mu_);
      workers.swap(workers_);
    }
    for (auto& worker : workers) worker.join();
  }

  std::unique_ptr<Server> server_;

 private:
  std::mutex workers_mu_;
  std::vector<std::thread> workers_;
};

}  // namespace tessera::http::testing
