#pragma once
// A deliberately dumb blocking HTTP client on POSIX sockets for the server
// tests: it sends exactly the bytes a test writes (malformed ones included)
// and parses responses just enough to check them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;

  const std::string* Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // One response, or nullopt when the connection closed or nothing complete
  // arrived within `timeout`. HEAD responses and 1xx/204/304 have no body.
  std::optional<RawResponse> ReadResponse(bool head_request = false,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    RawResponse response;
    std::string_view head(buffer_.data(), head_end);
    const size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return std::nullopt;
    response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t end = head.find("\r\n", pos);
      if (end == std::string_view::npos) end = head.size();
      std::string_view line = head.substr(pos, end - pos);
      const size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        response.headers[name] = std::string(value);
      }
      pos = end + 2;
    }
    buffer_.erase(0, head_end + 4);
    const bool no_body = head_request || response.status < 200 || response.status == 204 || response.status == 304;
    size_t length = 0;
    if (!no_body) {
      const std::string* content_length = response.Header("content-length");
      if (content_length == nullptr) return std::nullopt;  // the server always frames its bodies
      length = std::strtoull(content_length->c_str(), nullptr, 10);
    }
    while (buffer_.size() < length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // True when the server closes the connection (EOF or reset) within
  // `timeout`; bytes that arrive meanwhile are discarded.
  bool WaitForClose(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const int result = Receive(deadline);
      if (result == 0) return true;   // EOF or error
      if (result < 0) return false;   // timed out
      buffer_.clear();
    }
  }

 private:
  // >0: got bytes; 0: EOF or error; <0: timed out.
  int Receive(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd descriptor{fd_, POLLIN, 0};
    const int ready = ::poll(&descriptor, 1, static_cast<int>(left.count()));
    if (ready == 0) return -1;
    if (ready < 0) return 0;
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return 0;
    buffer_.append(chunk, static_cast<size_t>(n));
    return 1;
  }
  bool Fill(std::chrono::steady_clock::time_point deadline) { return Receive(deadline) > 0; }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// GET/HEAD/... request bytes with the headers a well-behaved client sends.
inline std::string RequestBytes(std::string_view method, std::string_view target, std::string_view extra_headers = "",
                                std::string_view body = "") {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
  request.append(extra_headers);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  return request;
}

}  // namespace tessera::http::testing
