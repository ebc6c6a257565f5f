// A minimal server for manual load checks, e.g.
//   http_hello_server 8080 2 &  wrk -t2 -c64 -d5s http://127.0.0.1:8080/
// Answers every request with the same 200-byte JSON body. Stops on SIGINT or
// SIGTERM, which a dedicated thread receives with sigwait() and turns into
// Server::Stop(), the way `tessera serve` is meant to.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "http/server.h"

namespace {

class HelloHandler : public tessera::http::Handler {
 public:
  HelloHandler() : body_(BuildBody()) {}
  void Handle(tessera::http::Request, tessera::http::Responder respond) override {
    tessera::http::Response response;
    response.body = body_;
    respond(std::move(response));
  }

 private:
  static std::string BuildBody() {
    std::string body = R"({"data":[{"Orders.status":"shipped","Orders.count":"1234"}],"padding":")";
    body.append(200 - body.size() - 2, 'x');
    body += "\"}";
    return body;
  }
  const std::string body_;
};

}  // namespace

int main(int argc, char** argv) {
  tessera::http::ServerOptions options;
  options.port = argc > 1 ? static_cast<uint16_t>(std::atoi(argv[1])) : 8080;
  options.io_threads = argc > 2 ? std::atoi(argv[2]) : 0;

  // Block the signals in every thread (the io threads inherit the mask) so
  // only the sigwait() thread sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = tessera::http::Server::Create(options, std::make_shared<HelloHandler>());
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  (*server)->Start();
  std::printf("listening on %s:%u\n", options.address.c_str(), (*server)->port());
  std::fflush(stdout);

  std::thread signal_thread([&] {
    int received = 0;
    sigwait(&signals, &received);
    (*server)->Stop();
  });
  (*server)->Wait();
  signal_thread.join();
  return 0;
}
