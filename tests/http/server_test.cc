// The server's request/response behaviour over real loopback connections:
// decoding, keep-alive, pipelining and the Responder contract.
#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server_fixture.h"

namespace tessera::http::testing {
namespace {

using std::chrono::milliseconds;

// Keeps the requests a handler saw, for the test thread to inspect.
class Recorder {
 public:
  void Add(const Request& request) {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
  }
  std::vector<Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  Request last() {
    std::lock_guard lock(mu_);
    return requests_.back();
  }

 private:
  std::mutex mu_;
  std::vector<Request> requests_;
};

TEST_F(ServerTest, GetDecodesPathQueryAndHeaders) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse("ok"));
  });
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/cubejs-api/v1/load%2Fx?name=jane+doe&sym=a%2Bb&pct=100%25",
                                       "X-Custom-Header: Value\r\nAuthorization: Bearer abc\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");
  EXPECT_EQ(*response->Header("content-type"), "text/plain");
  EXPECT_EQ(*response->Header("content-length"), "2");

  const Request seen = recorder.last();
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.path, "/cubejs-api/v1/load/x");
  EXPECT_EQ(seen.query_params.at("name"), "jane doe");
  EXPECT_EQ(seen.query_params.at("sym"), "a+b");
  EXPECT_EQ(seen.query_params.at("pct"), "100%");
  EXPECT_EQ(*seen.Header("x-custom-header"), "Value");
  EXPECT_EQ(*seen.Header("authorization"), "Bearer abc");
  EXPECT_EQ(seen.client_address, "127.0.0.1");
  EXPECT_TRUE(seen.body.empty());
}

TEST_F(ServerTest, CubeClientLoadQueryArrivesExactly) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse("ok"));
  });
  const std::string json =
      R"({"measures":["Orders.count"],"dimensions":["Orders.status"],"filters":[{"member":"Orders.city","operator":"equals","values":["New York","a+b & c=d"]}]})";
  // encodeURIComponent(JSON.stringify(query)), as @cubejs-client/core sends it.
  const std::string encoded =
      "%7B%22measures%22%3A%5B%22Orders.count%22%5D%2C%22dimensions%22%3A%5B%22Orders.status%22%5D%2C%22filters%"
      "22%3A%5B%7B%22member%22%3A%22Orders.city%22%2C%22operator%22%3A%22equals%22%2C%22values%22%3A%5B%22New%"
      "20York%22%2C%22a%2Bb%20%26%20c%3Dd%22%5D%7D%5D%7D";
  // The same query as a form encoder (curl --data-urlencode, a browser form) writes it.
  const std::string form_encoded =
      "%7B%22measures%22%3A%5B%22Orders.count%22%5D%2C%22dimensions%22%3A%5B%22Orders.status%22%5D%2C%22filters%"
      "22%3A%5B%7B%22member%22%3A%22Orders.city%22%2C%22operator%22%3A%22equals%22%2C%22values%22%3A%5B%22New+"
      "York%22%2C%22a%2Bb+%26+c%3Dd%22%5D%7D%5D%7D";
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/cubejs-api/v1/load?query=" + encoded)));
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_EQ(recorder.last().query_params.at("query"), json);
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/cubejs-api/v1/load?query=" + form_encoded)));
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_EQ(recorder.last().query_params.at("query"), json);
}

TEST_F(ServerTest, PostBodyReachesHandler) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse(std::to_string(request.body.size())));
  });
  const std::string body = R"({"query":{"measures":["Orders.count"]}})";
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("POST", "/cubejs-api/v1/load", "Content-Type: application/json\r\n", body)));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, std::to_string(body.size()));
  EXPECT_EQ(recorder.last().method, "POST");
  EXPECT_EQ(recorder.last().body, body);
}

TEST_F(ServerTest, LargeAndChunkedBodiesArriveIntact) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse("ok"));
  });
  std::string big(700 * 1024, 'x');
  for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("POST", "/big", "", big)));
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_EQ(recorder.last().body, big);

  ASSERT_TRUE(client.Send(
      "POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"));
  ASSERT_TRUE(client.ReadResponse().has_value());
  EXPECT_EQ(recorder.last().body, "hello world");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::atomic<int> count{0};
  StartServer([&](Request request, Responder respond) { respond(TextResponse(request.path + "#" + std::to_string(++count))); });
  RawClient client(port());
  for (int i = 1; i <= 20; ++i) {
    ASSERT_TRUE(client.Send(RequestBytes("GET", "/r" + std::to_string(i))));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "request " << i;
    EXPECT_EQ(response->body, "/r" + std::to_string(i) + "#" + std::to_string(i));
    EXPECT_EQ(*response->Header("connection"), "keep-alive");
    EXPECT_EQ(*response->Header("keep-alive"), "timeout=60");
  }
}

TEST_F(ServerTest, PipelinedResponsesKeepRequestOrderWhenHandlersFinishOutOfOrder) {
  StartServer([&](Request request, Responder respond) {
    const int delay = std::stoi(request.query_params.at("delay"));
    RunOnWorker([delay, respond = std::move(respond), path = request.path] {
      std::this_thread::sleep_for(milliseconds(delay));
      respond(TextResponse(path));
    });
  });
  const int delays[] = {300, 10, 200, 0, 100, 50};
  std::string pipeline;
  for (int i = 0; i < 6; ++i) {
    pipeline += RequestBytes("GET", "/p" + std::to_string(i) + "?delay=" + std::to_string(delays[i]));
  }
  RawClient client(port());
  ASSERT_TRUE(client.Send(pipeline));  // all requests in one segment
  for (int i = 0; i < 6; ++i) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << i;
    EXPECT_EQ(response->body, "/p" + std::to_string(i));
  }
}

TEST_F(ServerTest, DeepPipelineIsAnsweredCompletelyAndInOrder) {
  StartServer([&](Request request, Responder respond) { respond(TextResponse(request.query_params.at("i"))); });
  std::string pipeline;
  for (int i = 0; i < 300; ++i) pipeline += RequestBytes("GET", "/?i=" + std::to_string(i));
  RawClient client(port());
  ASSERT_TRUE(client.Send(pipeline));
  for (int i = 0; i < 300; ++i) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response.has_value()) << "response " << i;
    ASSERT_EQ(response->body, std::to_string(i));
  }
}

TEST_F(ServerTest, ResponderMayBeCalledFromAnotherThread) {
  std::atomic<bool> answered_off_thread{false};
  StartServer([&](Request, Responder respond) {
    const auto io_thread = std::this_thread::get_id();
    RunOnWorker([&, io_thread, respond = std::move(respond)] {
      answered_off_thread = std::this_thread::get_id() != io_thread;
      respond(TextResponse("from a worker"));
    });
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "from a worker");
  EXPECT_TRUE(answered_off_thread);
}

TEST_F(ServerTest, DroppedResponderAnswers500AndKeepsTheConnection) {
  StartServer([&](Request request, Responder respond) {
    if (request.path == "/forget") return;  // responder destroyed unanswered
    if (request.path == "/forget-on-worker") {
      RunOnWorker([respond = std::move(respond)]() mutable { Responder gone = std::move(respond); });
      return;
    }
    respond(TextResponse("fine"));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/forget")));
  auto dropped = client.ReadResponse();
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(dropped->status, 500);
  EXPECT_EQ(dropped->body, R"({"error":"Internal Server Error"})");
  EXPECT_EQ(*dropped->Header("connection"), "keep-alive");

  ASSERT_TRUE(client.Send(RequestBytes("GET", "/forget-on-worker")));
  auto dropped_on_worker = client.ReadResponse();
  ASSERT_TRUE(dropped_on_worker.has_value());
  EXPECT_EQ(dropped_on_worker->status, 500);

  ASSERT_TRUE(client.Send(RequestBytes("GET", "/ok")));
  auto after = client.ReadResponse();
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->body, "fine");
}

TEST_F(ServerTest, SecondResponderCallIsIgnored) {
  StartServer([&](Request request, Responder respond) {
    Responder copy = respond;
    respond(TextResponse("first " + request.path));
    copy(TextResponse("second " + request.path));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/a") + RequestBytes("GET", "/b")));
  auto a = client.ReadResponse();
  auto b = client.ReadResponse();
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->body, "first /a");
  EXPECT_EQ(b->body, "first /b");
  EXPECT_FALSE(client.ReadResponse(false, milliseconds(200)).has_value());  // nothing extra on the wire
}

TEST_F(ServerTest, HandlerExceptionBecomes500) {
  StartServer([&](Request request, Responder respond) {
    if (request.path == "/throw") throw std::runtime_error("boom");
    respond(TextResponse("ok"));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/throw")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/fine")));
  auto next = client.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerTest, InvalidResponseHeaderBecomes500) {
  StartServer([&](Request, Responder respond) {
    Response response = TextResponse("x");
    response.headers.emplace_back("X-Injected", "a\r\nSet-Cookie: stolen=1");
    respond(std::move(response));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->Header("set-cookie"), nullptr);
}

TEST_F(ServerTest, ExtraHeadersAndStatusesPassThrough) {
  StartServer([&](Request request, Responder respond) {
    if (request.path == "/empty") {
      Response response;
      response.status = 204;
      respond(std::move(response));
      return;
    }
    Response response = TextResponse(R"({"error":"Continue wait"})", 200);
    response.content_type = "application/json; charset=utf-8";
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    respond(std::move(response));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(*response->Header("access-control-allow-origin"), "*");
  EXPECT_EQ(*response->Header("content-type"), "application/json; charset=utf-8");
  EXPECT_NE(response->Header("date"), nullptr);
  ASSERT_TRUE(client.Send(RequestBytes("OPTIONS", "/empty")));
  auto empty = client.ReadResponse();
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->status, 204);
  EXPECT_EQ(empty->Header("content-length"), nullptr);
}

TEST_F(ServerTest, HeadAnswersWithLengthButNoBody) {
  StartServer([&](Request request, Responder respond) { respond(TextResponse("twelve bytes")); });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("HEAD", "/") + RequestBytes("GET", "/")));
  auto head = client.ReadResponse(/*head_request=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(*head->Header("content-length"), "12");
  EXPECT_TRUE(head->body.empty());
  // Had the body been sent, this would read it as a broken status line.
  auto get = client.ReadResponse();
  ASSERT_TRUE(get.has_value());
  EXPECT_EQ(get->body, "twelve bytes");
}

TEST_F(ServerTest, Http10ClosesAfterTheResponseUnlessKeepAliveAsked) {
  StartServer([&](Request, Responder respond) { respond(TextResponse("old")); });
  RawClient keep(port());
  ASSERT_TRUE(keep.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto first = keep.ReadResponse();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first->Header("connection"), "keep-alive");
  ASSERT_TRUE(keep.Send("GET / HTTP/1.0\r\n\r\n"));
  auto second = keep.ReadResponse();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->body, "old");
  EXPECT_EQ(*second->Header("connection"), "close");
  EXPECT_TRUE(keep.WaitForClose(milliseconds(2000)));
}

TEST_F(ServerTest, ConnectionCloseIsHonouredAfterEarlierPipelinedRequests) {
  StartServer([&](Request request, Responder respond) { respond(TextResponse(request.path)); });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/1") + RequestBytes("GET", "/2", "Connection: close\r\n") +
                          RequestBytes("GET", "/3")));
  auto one = client.ReadResponse();
  auto two = client.ReadResponse();
  ASSERT_TRUE(one.has_value() && two.has_value());
  EXPECT_EQ(one->body, "/1");
  EXPECT_EQ(two->body, "/2");
  EXPECT_EQ(*two->Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose(milliseconds(2000)));  // /3 is never answered
}

TEST_F(ServerTest, ClientHalfCloseStillGetsItsAnswer) {
  StartServer([&](Request, Responder respond) {
    RunOnWorker([respond = std::move(respond)] {
      std::this_thread::sleep_for(milliseconds(100));
      respond(TextResponse("late but delivered"));
    });
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  client.ShutdownWrite();
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "late but delivered");
  EXPECT_TRUE(client.WaitForClose(milliseconds(2000)));
}

TEST_F(ServerTest, RequestIdIsPassedThroughWhenSane) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse("ok"));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/", "X-Request-Id: trace-42:a.b_c\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(*response->Header("x-request-id"), "trace-42:a.b_c");
  EXPECT_EQ(recorder.last().request_id, "trace-42:a.b_c");
}

TEST_F(ServerTest, RequestIdIsGeneratedWhenMissingOrUnsafe) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse("ok"));
  });
  const std::regex generated("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-span-1");
  RawClient client(port());
  ASSERT_TRUE(client.Send(RequestBytes("GET", "/")));
  auto plain = client.ReadResponse();
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(std::regex_match(*plain->Header("x-request-id"), generated)) << *plain->Header("x-request-id");
  EXPECT_EQ(recorder.last().request_id, *plain->Header("x-request-id"));

  ASSERT_TRUE(client.Send(RequestBytes("GET", "/", "X-Request-Id: <img src=x>\r\n")));
  auto unsafe = client.ReadResponse();
  ASSERT_TRUE(unsafe.has_value());
  EXPECT_TRUE(std::regex_match(*unsafe->Header("x-request-id"), generated));
  EXPECT_NE(*unsafe->Header("x-request-id"), *plain->Header("x-request-id"));
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  Recorder recorder;
  StartServer([&](Request request, Responder respond) {
    recorder.Add(request);
    respond(TextResponse(request.body));
  });
  RawClient client(port());
  ASSERT_TRUE(client.Send("POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  auto interim = client.ReadResponse();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("data"));
  auto final_response = client.ReadResponse();
  ASSERT_TRUE(final_response.has_value());
  EXPECT_EQ(final_response->status, 200);
  EXPECT_EQ(final_response->body, "data");
}

TEST_F(ServerTest, ManyConcurrentKeepAliveClients) {
  std::atomic<int> handled{0};
  StartServer([&](Request request, Responder respond) {
    ++handled;
    respond(TextResponse(request.query_params.at("c") + ":" + request.query_params.at("i")));
  });
  constexpr int kClients = 16;
  constexpr int kRequests = 100;
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      RawClient client(port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string expected = std::to_string(c) + ":" + std::to_string(i);
        if (!client.Send(RequestBytes("GET", "/?c=" + std::to_string(c) + "&i=" + std::to_string(i)))) return;
        auto response = client.ReadResponse();
        if (!response || response->body != expected) return;
        ++good;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(good.load(), kClients * kRequests);
  EXPECT_EQ(handled.load(), kClients * kRequests);
}


TEST_F(ServerTest, CountsItsOpenConnections) {
  // The audit log's group commit reads this count; it must go up with each
  // client and back down when they leave.
  auto open = std::make_shared<std::atomic<int64_t>>(0);
  ServerOptions options = TestOptions();
  options.open_connections = open;
  StartServer(options, [](Request request, Responder respond) { respond(TextResponse(request.path)); });
  auto wait_for = [&](int64_t n) {
    for (int i = 0; i < 500 && open->load() != n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return open->load();
  };
  {
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 3; ++i) {
      clients.push_back(std::make_unique<RawClient>(port()));
      ASSERT_TRUE(clients.back()->Send(RequestBytes("GET", "/c")));
      ASSERT_TRUE(clients.back()->ReadResponse().has_value());
    }
    EXPECT_EQ(wait_for(3), 3);
    clients.pop_back();
    EXPECT_EQ(wait_for(2), 2);
  }
  EXPECT_EQ(wait_for(0), 0);
}

}  // namespace
}  // namespace tessera::http::testing
