#include "http/request_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace tessera::http {
namespace {

RequestLimits SmallLimits() { return RequestLimits{/*max_target_bytes=*/100, /*max_header_bytes=*/200, /*max_body_bytes=*/10}; }

TEST(RequestReaderTest, ParsesGetWithHeadersAndQuery) {
  RequestReader reader(SmallLimits());
  const std::string bytes = "GET /a%20b?x=1+2 HTTP/1.1\r\nHost: h\r\nX-Thing: One\r\nX-Thing: Two\r\n\r\n";
  EXPECT_EQ(reader.Feed(bytes), bytes.size());
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  ParsedRequest parsed = reader.TakeRequest();
  EXPECT_EQ(parsed.request.method, "GET");
  EXPECT_EQ(parsed.request.path, "/a b");
  EXPECT_EQ(*parsed.request.QueryParam("x"), "1 2");
  EXPECT_EQ(*parsed.request.Header("host"), "h");
  EXPECT_EQ(*parsed.request.Header("x-thing"), "One, Two");
  EXPECT_TRUE(parsed.keep_alive);
  EXPECT_FALSE(parsed.is_head);
  EXPECT_FALSE(parsed.request.request_id.empty());
  EXPECT_EQ(reader.state(), RequestReader::State::kNeedMore);
}

TEST(RequestReaderTest, ByteAtATimeWorks) {
  RequestReader reader(SmallLimits());
  const std::string bytes = "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello";
  std::string pending;
  for (char c : bytes) {
    pending.push_back(c);
    pending.erase(0, reader.Feed(pending));
  }
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(reader.TakeRequest().request.body, "hello");
}

TEST(RequestReaderTest, StopsAtTheEndOfOnePipelinedRequest) {
  RequestReader reader(SmallLimits());
  const std::string first = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string second = "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string both = first + second;
  EXPECT_EQ(reader.Feed(both), first.size());
  EXPECT_EQ(reader.TakeRequest().request.path, "/1");
  EXPECT_EQ(reader.Feed(std::string_view(both).substr(first.size())), second.size());
  EXPECT_EQ(reader.TakeRequest().request.path, "/2");
}

TEST(RequestReaderTest, ChunkedBody) {
  RequestReader reader(SmallLimits());
  const std::string bytes =
      "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  EXPECT_EQ(reader.Feed(bytes), bytes.size());
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  EXPECT_EQ(reader.TakeRequest().request.body, "abcde");
}

TEST(RequestReaderTest, Http10ClosesUnlessKeepAliveAsked) {
  RequestReader reader(SmallLimits());
  reader.Feed("GET / HTTP/1.0\r\n\r\n");
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  EXPECT_FALSE(reader.TakeRequest().keep_alive);
  reader.Feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  EXPECT_TRUE(reader.TakeRequest().keep_alive);
  reader.Feed("HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(reader.state(), RequestReader::State::kComplete);
  ParsedRequest parsed = reader.TakeRequest();
  EXPECT_FALSE(parsed.keep_alive);
  EXPECT_TRUE(parsed.is_head);
}

TEST(RequestReaderTest, BodyOverLimitByContentLengthIs413BeforeTheBody) {
  RequestReader reader(SmallLimits());
  reader.Feed("POST /p HTTP/1.1\r\nHost: h\r\nX-Request-Id: mine\r\nContent-Length: 11\r\n\r\n");
  ASSERT_EQ(reader.state(), RequestReader::State::kRejected);
  EXPECT_EQ(reader.rejection().status, 413);
  EXPECT_EQ(reader.rejection().message, "Request body is larger than 10 bytes");
  EXPECT_EQ(reader.rejection().request_id, "mine");
}

TEST(RequestReaderTest, ChunkedBodyOverLimitIs413) {
  RequestReader reader(SmallLimits());
  reader.Feed("POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n");
  ASSERT_EQ(reader.state(), RequestReader::State::kRejected);
  EXPECT_EQ(reader.rejection().status, 413);
}

TEST(RequestReaderTest, LongTargetIs414EvenBeforeTheLineEnds) {
  RequestReader complete(SmallLimits());
  complete.Feed("GET /" + std::string(150, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(complete.state(), RequestReader::State::kRejected);
  EXPECT_EQ(complete.rejection().status, 414);

  RequestReader unfinished(SmallLimits());
  unfinished.Feed("GET /" + std::string(1000, 'a'));
  ASSERT_EQ(unfinished.state(), RequestReader::State::kRejected);
  EXPECT_EQ(unfinished.rejection().status, 414);
}

TEST(RequestReaderTest, LargeHeadersAre431) {
  RequestReader complete(SmallLimits());
  complete.Feed("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(190, 'b') + "\r\n\r\n");
  ASSERT_EQ(complete.state(), RequestReader::State::kRejected);
  EXPECT_EQ(complete.rejection().status, 431);

  RequestReader unfinished(SmallLimits());
  unfinished.Feed("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(1000, 'b'));
  ASSERT_EQ(unfinished.state(), RequestReader::State::kRejected);
  EXPECT_EQ(unfinished.rejection().status, 431);
}

TEST(RequestReaderTest, MalformedRequestsAre400) {
  for (const std::string& bytes : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET / HTTP/9.9\r\nHost: h\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n"),
           std::string("GET / HTTP/1.1\r\n\r\n"),  // no Host
           std::string("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
           std::string("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
           std::string("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n"),
           std::string("GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n"),
           std::string("GET * HTTP/1.1\r\nHost: h\r\n\r\n"),
       }) {
    RequestReader reader(SmallLimits());
    reader.Feed(bytes);
    ASSERT_EQ(reader.state(), RequestReader::State::kRejected) << bytes;
    EXPECT_EQ(reader.rejection().status, 400) << bytes;
  }
}

TEST(RequestReaderTest, ExpectContinueIsReportedUntilTheBodyArrives) {
  RequestReader reader(SmallLimits());
  reader.Feed("POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_EQ(reader.state(), RequestReader::State::kNeedMore);
  EXPECT_TRUE(reader.expects_continue());
  reader.Feed("abc");
  EXPECT_EQ(reader.state(), RequestReader::State::kComplete);
  EXPECT_FALSE(reader.expects_continue());
}

TEST(RequestReaderTest, ClientRequestIdKeptWhenSane) {
  RequestReader reader(SmallLimits());
  reader.Feed("GET / HTTP/1.1\r\nHost: h\r\nX-Request-ID: abc-123\r\n\r\n");
  EXPECT_EQ(reader.TakeRequest().request.request_id, "abc-123");
  reader.Feed("GET / HTTP/1.1\r\nHost: h\r\nX-Request-ID: <script>\r\n\r\n");
  EXPECT_NE(reader.TakeRequest().request.request_id, "<script>");
}

}  // namespace
}  // namespace tessera::http
