#include "http/response_writer.h"

#include <charconv>
#include <cstdint>
#include <ctime>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tessera::http {
namespace {

bool IsTokenChar(unsigned char c) {
  if (absl::ascii_isalnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Rejects exactly what could end the header line early or smuggle a second
// header: CR, LF and NUL. Other bytes (UTF-8 in a filename, say) pass.
bool IsValidHeaderValue(std::string_view value) {
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool IsServerOwnedHeader(const std::string& name) {
  return absl::EqualsIgnoreCase(name, "content-length") ||
         absl::EqualsIgnoreCase(name, "transfer-encoding") ||
         absl::EqualsIgnoreCase(name, "connection") ||
         absl::EqualsIgnoreCase(name, "keep-alive") ||
         absl::EqualsIgnoreCase(name, "x-request-id") ||
         absl::EqualsIgnoreCase(name, "date");
}

template <typename Number>
void AppendNumber(std::string& out, Number value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// HTTP/1.1 servers must send Date. Formatting it per response would cost
// more than the rest of the head, so each io thread reformats once a second.
std::string_view CurrentHttpDate() {
  struct Cache {
    int64_t second = -1;
    std::string text;
  };
  thread_local Cache cache;
  const absl::Time now = absl::Now();
  const int64_t second = absl::ToUnixSeconds(now);
  if (second != cache.second) {
    cache.second = second;
    cache.text = absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT", now, absl::UTCTimeZone());
  }
  return cache.text;
}

}  // namespace

bool StatusAllowsBody(int status) {
  return !(status < 200 || status == 204 || status == 304);
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: break;
  }
  // Clients must not depend on the phrase (RFC 9112 4); a class name is fine.
  if (status >= 200 && status < 300) return "Success";
  if (status >= 300 && status < 400) return "Redirection";
  if (status >= 400 && status < 500) return "Client Error";
  return "Server Error";
}

absl::StatusOr<std::string> SerializeResponseHead(const Response& response,
                                                  const ResponseFraming& framing) {
  if (response.status < 200 || response.status > 599) {
    return absl::InvalidArgumentError(absl::StrCat("status ", response.status, " is not a final HTTP status"));
  }
  if (!IsValidHeaderValue(response.content_type)) {
    return absl::InvalidArgumentError("Content-Type contains CR, LF or NUL");
  }
  for (const auto& [name, value] : response.headers) {
    if (!IsValidHeaderName(name)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid response header name '", absl::CEscape(name), "'"));
    }
    if (!IsValidHeaderValue(value)) {
      return absl::InvalidArgumentError(absl::StrCat("response header '", name, "' contains CR, LF or NUL"));
    }
  }

  std::string head;
  head.reserve(192 + response.content_type.size() + framing.request_id.size());
  head += "HTTP/1.1 ";
  AppendNumber(head, response.status);
  head += ' ';
  head += ReasonPhrase(response.status);
  head += "\r\nDate: ";
  head += CurrentHttpDate();
  head += "\r\n";
  if (StatusAllowsBody(response.status)) {
    if (!response.content_type.empty()) {
      head += "Content-Type: ";
      head += response.content_type;
      head += "\r\n";
    }
    head += "Content-Length: ";
    AppendNumber(head, response.body.size());
    head += "\r\n";
  }
  head += "x-request-id: ";
  head += framing.request_id;
  head += "\r\n";
  if (framing.keep_alive) {
    head += "Connection: keep-alive\r\nKeep-Alive: timeout=";
    AppendNumber(head, framing.keep_alive_timeout.count());
    head += "\r\n";
  } else {
    head += "Connection: close\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    if (IsServerOwnedHeader(name)) continue;
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

}  // namespace tessera::http
