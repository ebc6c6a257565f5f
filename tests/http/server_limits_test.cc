// Size limits, timeouts and the server's lifecycle (bind, stop, wait).
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "server_fixture.h"

namespace tessera::http::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

void AnswerOk(Request, Responder respond) { respond(TextResponse("ok")); }

TEST_F(ServerTest, BodyLargerThanLimitIs413WithCubeStyleJson) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 10;
  std::atomic<int> handled{0};
  StartServer(options, [&](Request request, Responder respond) {
    ++handled;
    respond(TextResponse("ok"));
  });
  RawClient client(port());
  // The whole (large) body is already on its way when the server refuses.
  ASSERT_TRUE(client.Send(RequestBytes("POST", "/p", "X-Request-Id: big-1\r\n", std::string(200 * 1024, 'b'))));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, R"({"error":"Request body is larger than 10 bytes"})");
  EXPECT_EQ(*response->Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(*response->Header("connection"), "close");
  EXPECT_EQ(*response->Header("x-request-id"), "big-1");
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  EXPECT_EQ(handled.load(), 0);

  RawClient exact(port());
  ASSERT_TRUE(exact.Send(RequestBytes("POST", "/p", "", "0123456789")));
  auto fits = exact.ReadResponse();
  ASSERT_TRUE(fits.has_value());
  EXPECT_EQ(fits->status, 200);
}

TEST_F(ServerTest, ChunkedBodyLargerThanLimitIs413) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 10;
  StartServer(options, AnswerOk);
  RawClient client(port());
  ASSERT_TRUE(client.Send("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n"));
  ASSERT_TRUE(client.Send("8\r\n12345678\r\n0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->body, R"({"error":"Request body is larger than 10 bytes"})");
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, LongTargetIs414AndCloses) {
  ServerOptions options = TestOptions();
  options.max_target_bytes = 1000;
  StartServer(options, AnswerOk);
  RawClient complete(port());
  ASSERT_TRUE(complete.Send(RequestBytes("GET", "/?q=" + std::string(1500, 'a'))));
  auto response = complete.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 414);
  EXPECT_EQ(response->body, R"({"error":"Request target is longer than 1000 bytes"})");
  EXPECT_TRUE(complete.WaitForClose(milliseconds(3000)));

  // A request line that never ends is refused once it passes the limit.
  RawClient endless(port());
  ASSERT_TRUE(endless.Send("GET /" + std::string(200 * 1024, 'a')));
  auto endless_response = endless.ReadResponse();
  ASSERT_TRUE(endless_response.has_value());
  EXPECT_EQ(endless_response->status, 414);

  RawClient fits(port());
  ASSERT_TRUE(fits.Send(RequestBytes("GET", "/?q=" + std::string(900, 'a'))));
  auto ok = fits.ReadResponse();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, LargeHeadersAre431AndClose) {
  ServerOptions options = TestOptions();
  options.max_header_bytes = 2000;
  StartServer(options, AnswerOk);
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/", "X-Big: " + std::string(3000, 'h') + "\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->body, R"({"error":"Request headers are larger than 2000 bytes"})");
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));

  RawClient many(port());
  std::string headers;
  for (int i = 0; i < 100; ++i) headers += "X-H" + std::to_string(i) + ": " + std::string(30, 'v') + "\r\n";
  ASSERT_TRUE(many.Send(RequestBytes("GET", "/", headers)));
  auto many_response = many.ReadResponse();
  ASSERT_TRUE(many_response.has_value());
  EXPECT_EQ(many_response->status, 431);
}

TEST_F(ServerTest, MalformedRequestIs400AndCloses) {
  StartServer(AnswerOk);
  for (const std::string& bytes : {std::string("NOT HTTP AT ALL\r\n\r\n"),
                                  std::string("GET / HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n"),
                                  std::string("GET / HTTP/1.1\r\n\r\n"),
                                  std::string("GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n"),
                                  std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n")}) {
    RawClient client(port());
    ASSERT_TRUE(client.Send(bytes));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << bytes;
    EXPECT_EQ(response->status, 400) << bytes;
    EXPECT_EQ(*response->Header("connection"), "close");
    EXPECT_TRUE(client.WaitForClose(milliseconds(3000))) << bytes;
  }
}

TEST_F(ServerTest, ErrorAfterPipelinedRequestsComesAfterTheirAnswers) {
  StartServer([&](Request request, Responder respond) {
    RunOnWorker([respond = std::move(respond), path = request.path] {
      std::this_thread::sleep_for(milliseconds(150));
      respond(TextResponse(path));
    });
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/first") + "BROKEN REQUEST\r\n\r\n"));
  auto first = client.ReadResponse();
  auto error = client.ReadResponse();
  ASSERT_TRUE(first.has_value() && error.has_value());
  EXPECT_EQ(first->body, "/first");
  EXPECT_EQ(error->status, 400);
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
}

TEST_F(ServerTest, SlowLorisIsCutOffAfterReadTimeout) {
  ServerOptions options = TestOptions();
  options.read_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(10);
  StartServer(options, AnswerOk);
  RawClient client(port());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: h\r\n"));
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    client.Send("X-Drip-" + std::to_string(i) + ": x\r\n");  // never the blank line
    closed = client.WaitForClose(milliseconds(150));
  }
  const auto elapsed = Clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(elapsed, milliseconds(900));
  EXPECT_LT(elapsed, milliseconds(3000));
}

TEST_F(ServerTest, SilentNewConnectionIsClosedAfterReadTimeout) {
  ServerOptions options = TestOptions();
  options.read_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(10);
  StartServer(options, AnswerOk);
  RawClient client(port());
  const auto start = Clock::now();
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  EXPECT_GE(Clock::now() - start, milliseconds(900));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options = TestOptions();
  options.read_timeout = std::chrono::seconds(5);
  options.idle_timeout = std::chrono::seconds(1);
  StartServer(options, AnswerOk);
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(*response->Header("keep-alive"), "timeout=1");
  const auto start = Clock::now();
  EXPECT_TRUE(client.WaitForClose(milliseconds(3000)));
  EXPECT_GE(Clock::now() - start, milliseconds(900));
}

TEST_F(ServerTest, SlowHandlerIsNotCutOffByIdleTimeout) {
  ServerOptions options = TestOptions();
  options.read_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(1);
  StartServer(options, [&](Request, Responder respond) {
    RunOnWorker([respond = std::move(respond)] {
      std::this_thread::sleep_for(milliseconds(2200));
      respond(TextResponse("worth the wait"));
    });
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/slow")));
  auto response = client.ReadResponse(false, milliseconds(5000));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "worth the wait");
}

TEST_F(ServerTest, PortZeroPicksAFreePort) {
  StartServer(AnswerOk);
  EXPECT_NE(port(), 0);
  RawClient client(port());
  EXPECT_TRUE(client.connected());
}

TEST_F(ServerTest, BindingABusyPortFailsClearly) {
  StartServer(AnswerOk);
  ServerOptions options = TestOptions();
  options.port = port();
  auto second = Server::Create(options, std::make_shared<FunctionHandler>(AnswerOk));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("port " + std::to_string(port()) + " is in use"), absl::string_view::npos)
      << second.status();
}

TEST_F(ServerTest, BadOptionsAreRejected) {
  ServerOptions options = TestOptions();
  options.address = "not-an-ip";
  EXPECT_EQ(Server::Create(options, std::make_shared<FunctionHandler>(AnswerOk)).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = TestOptions();
  options.max_body_bytes = 0;
  EXPECT_FALSE(Server::Create(options, std::make_shared<FunctionHandler>(AnswerOk)).ok());
  EXPECT_FALSE(Server::Create(TestOptions(), nullptr).ok());
}

TEST_F(ServerTest, StopClosesOpenConnectionsPromptly) {
  std::mutex mu;
  std::optional<Responder> parked;
  StartServer([&](Request request, Responder respond) {
    if (request.path == "/park") {
      std::lock_guard lock(mu);
      parked = std::move(respond);
      return;
    }
    respond(TextResponse("ok"));
  });
  RawClient idle(port());
  ASSERT_TRUE(idle.Send(RequestBytes("GET", "/")));
  ASSERT_TRUE(idle.ReadResponse().has_value());
  RawClient half(port());
  ASSERT_TRUE(half.Send("GET / HTTP/1.1\r\nHost"));
  RawClient waiting(port());
  ASSERT_TRUE(waiting.Send(RequestBytes("GET", "/park")));
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mu);
      if (parked) break;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }

  const auto start = Clock::now();
  server_->Stop();
  EXPECT_LT(Clock::now() - start, milliseconds(2000));
  EXPECT_TRUE(idle.WaitForClose(milliseconds(1000)));
  EXPECT_TRUE(half.WaitForClose(milliseconds(1000)));
  EXPECT_TRUE(waiting.WaitForClose(milliseconds(1000)));
  RawClient late(port());
  EXPECT_FALSE(late.connected());

  // Answering (or dropping) a responder after Stop() is harmless.
  std::lock_guard lock(mu);
  ASSERT_TRUE(parked.has_value());
  (*parked)(TextResponse("too late"));
  parked.reset();
  server_->Stop();  // idempotent
}

TEST_F(ServerTest, ResponderOutlivingTheServerIsHarmless) {
  std::mutex mu;
  std::optional<Responder> parked;
  StartServer([&](Request, Responder respond) {
    std::lock_guard lock(mu);
    parked = std::move(respond);
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mu);
      if (parked) break;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  server_.reset();
  std::lock_guard lock(mu);
  ASSERT_TRUE(parked.has_value());
  parked.reset();  // dropped unanswered after the server is gone
}

TEST_F(ServerTest, WaitReturnsWhenAnotherThreadStops) {
  StartServer(AnswerOk);
  auto waiter = std::async(std::launch::async, [&] { server_->Wait(); });
  EXPECT_EQ(waiter.wait_for(milliseconds(200)), std::future_status::timeout);
  std::thread stopper([&] { server_->Stop(); });
  EXPECT_EQ(waiter.wait_for(milliseconds(3000)), std::future_status::ready);
  stopper.join();
  server_->Stop();
  server_->Wait();  // already stopped: returns at once
}

TEST_F(ServerTest, StopFromInsideAHandlerDoesNotDeadlock) {
  StartServer([&](Request, Responder respond) {
    server_->Stop();  // runs on an io thread
    respond(TextResponse("bye"));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto waiter = std::async(std::launch::async, [&] { server_->Wait(); });
  EXPECT_EQ(waiter.wait_for(milliseconds(3000)), std::future_status::ready);
  EXPECT_TRUE(client.WaitForClose(milliseconds(1000)));
}

TEST_F(ServerTest, StopBeforeStartAndStartAfterStop) {
  auto server = Server::Create(TestOptions(), std::make_shared<FunctionHandler>(AnswerOk));
  ASSERT_TRUE(server.ok());
  (*server)->Stop();
  (*server)->Start();  // no effect after Stop()
  (*server)->Wait();
  RawClient client((*server)->port());
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace tessera::http::testing
