#include "http/response_writer.h"

#include <string>

#include "gtest/gtest.h"
#include "http/error_responses.h"

namespace tessera::http {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(ResponseWriterTest, WritesFramingAndExtraHeaders) {
  Response response;
  response.body = R"({"ok":true})";
  response.headers = {{"Access-Control-Allow-Origin", "*"}};
  auto head = SerializeResponseHead(response, {"rid-1", true, std::chrono::seconds(60)});
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_TRUE(Contains(*head, "\r\nContent-Type: application/json; charset=utf-8\r\n"));
  EXPECT_TRUE(Contains(*head, "\r\nContent-Length: 11\r\n"));
  EXPECT_TRUE(Contains(*head, "\r\nx-request-id: rid-1\r\n"));
  EXPECT_TRUE(Contains(*head, "\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60\r\n"));
  EXPECT_TRUE(Contains(*head, "\r\nAccess-Control-Allow-Origin: *\r\n"));
  EXPECT_TRUE(Contains(*head, "\r\nDate: "));
  EXPECT_EQ(head->substr(head->size() - 4), "\r\n\r\n");
}

TEST(ResponseWriterTest, CloseFramingSaysSo) {
  Response response;
  auto head = SerializeResponseHead(response, {"r", false, std::chrono::seconds(5)});
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(Contains(*head, "\r\nConnection: close\r\n"));
  EXPECT_FALSE(Contains(*head, "Keep-Alive"));
}

TEST(ResponseWriterTest, NoContentHasNoLength) {
  Response response;
  response.status = 204;
  auto head = SerializeResponseHead(response, {"r", true, std::chrono::seconds(5)});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->rfind("HTTP/1.1 204 No Content\r\n", 0), 0u);
  EXPECT_FALSE(Contains(*head, "Content-Length"));
  EXPECT_FALSE(StatusAllowsBody(204));
  EXPECT_FALSE(StatusAllowsBody(304));
  EXPECT_TRUE(StatusAllowsBody(200));
  EXPECT_TRUE(StatusAllowsBody(404));
}

TEST(ResponseWriterTest, HandlerCannotOverrideFraming) {
  Response response;
  response.body = "abc";
  response.headers = {{"Content-Length", "999"}, {"Transfer-Encoding", "chunked"}, {"connection", "close"},
                      {"X-Request-Id", "spoofed"}, {"X-Other", "kept"}};
  auto head = SerializeResponseHead(response, {"real", true, std::chrono::seconds(5)});
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(Contains(*head, "Content-Length: 3\r\n"));
  EXPECT_FALSE(Contains(*head, "999"));
  EXPECT_FALSE(Contains(*head, "chunked"));
  EXPECT_FALSE(Contains(*head, "spoofed"));
  EXPECT_FALSE(Contains(*head, "Connection: close"));
  EXPECT_TRUE(Contains(*head, "X-Other: kept\r\n"));
}

TEST(ResponseWriterTest, RejectsHeaderInjectionAndBadStatus) {
  Response injected;
  injected.headers = {{"X-Evil", "a\r\nSet-Cookie: session=stolen"}};
  EXPECT_FALSE(SerializeResponseHead(injected, {"r", true, std::chrono::seconds(5)}).ok());

  Response bad_name;
  bad_name.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(SerializeResponseHead(bad_name, {"r", true, std::chrono::seconds(5)}).ok());

  Response bad_type;
  bad_type.content_type = "text/plain\nX: y";
  EXPECT_FALSE(SerializeResponseHead(bad_type, {"r", true, std::chrono::seconds(5)}).ok());

  Response informational;
  informational.status = 101;
  EXPECT_FALSE(SerializeResponseHead(informational, {"r", true, std::chrono::seconds(5)}).ok());
  Response huge;
  huge.status = 600;
  EXPECT_FALSE(SerializeResponseHead(huge, {"r", true, std::chrono::seconds(5)}).ok());
}

TEST(ResponseWriterTest, ReasonPhrases) {
  EXPECT_EQ(ReasonPhrase(413), "Payload Too Large");
  EXPECT_EQ(ReasonPhrase(414), "URI Too Long");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(299), "Success");
  EXPECT_EQ(ReasonPhrase(599), "Server Error");
}

TEST(ErrorResponsesTest, JsonErrorEscapes) {
  Response response = JsonErrorResponse(413, "Request body is larger than 10 bytes");
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(response.body, R"({"error":"Request body is larger than 10 bytes"})");
  EXPECT_EQ(JsonErrorResponse(400, "a\"b\\c\n\x01").body, R"({"error":"a\"b\\c\n\u0001"})");
  EXPECT_EQ(InternalErrorResponse().status, 500);
}

}  // namespace
}  // namespace tessera::http
