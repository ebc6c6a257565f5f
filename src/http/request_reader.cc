#include "http/request_reader.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "http/request_id.h"
#include "http/target_decoder.h"

namespace tessera::http {
namespace {

namespace bhttp = boost::beast::http;

// "GET " + target + " HTTP/1.1\r\n": everything on the request line that is
// not the target. Generous, so only the target limit decides a 414.
constexpr size_t kRequestLineOverhead = 64;

std::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

std::string LowerCase(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

// Beast parsers cannot be reused, so each request gets a fresh one
// constructed in place; the optional keeps that free of heap traffic.
struct RequestReader::Parser {
  std::optional<bhttp::request_parser<bhttp::string_body>> beast;
  Request request;  // filled in as the header completes, then the body
  bool expects_continue = false;
};

RequestReader::RequestReader(const RequestLimits& limits)
    : limits_(limits), parser_(std::make_unique<Parser>()) {
  Reset();
}

RequestReader::~RequestReader() = default;

void RequestReader::Reset() {
  auto& beast = parser_->beast.emplace();
  // Beast applies its header limit to the request line and to the field
  // block separately; the larger of our two limits lets both through and
  // CheckHeader() then applies each limit exactly.
  const size_t limit = std::max(limits_.max_target_bytes + kRequestLineOverhead, limits_.max_header_bytes) + 1;
  beast.header_limit(static_cast<std::uint32_t>(std::min<size_t>(limit, UINT32_MAX)));
  beast.body_limit(limits_.max_body_bytes);
  // Stop after the header so its exact size is known and limits apply
  // before any body byte is buffered.
  beast.eager(false);
  parser_->request = Request{};
  parser_->expects_continue = false;
  state_ = State::kNeedMore;
  header_bytes_ = 0;
  keep_alive_ = false;
  is_head_ = false;
  rejection_ = Rejection{};
}

size_t RequestReader::Feed(std::string_view bytes) {
  auto& beast = *parser_->beast;
  size_t consumed = 0;
  while (state_ == State::kNeedMore && consumed < bytes.size()) {
    const bool in_header = !beast.is_header_done();
    boost::system::error_code ec;
    const size_t n = beast.put(boost::asio::const_buffer(bytes.data() + consumed, bytes.size() - consumed), ec);
    consumed += n;
    if (in_header) header_bytes_ += n;
    if (ec == bhttp::error::need_more) break;
    if (ec == bhttp::error::header_limit) {
      // Beast consumes the request line as soon as it is complete, so
      // nothing consumed yet means the request line itself is too long.
      if (header_bytes_ == 0) {
        Reject(414, absl::StrCat("Request target is longer than ", limits_.max_target_bytes, " bytes"));
      } else {
        Reject(431, absl::StrCat("Request headers are larger than ", limits_.max_header_bytes, " bytes"));
      }
      break;
    }
    if (ec == bhttp::error::body_limit) {
      Reject(413, absl::StrCat("Request body is larger than ", limits_.max_body_bytes, " bytes"));
      break;
    }
    if (ec) {
      Reject(400, absl::StrCat("Malformed HTTP request: ", ec.message()));
      break;
    }
    if (in_header && beast.is_header_done()) {
      if (!CheckHeader()) break;
      beast.eager(true);
    }
    if (beast.is_done()) {
      // The body moves; no copy of a possibly large POST payload.
      parser_->request.body = std::move(beast.get().body());
      state_ = State::kComplete;
    } else if (n == 0) {
      break;  // defensive: no progress without an error means wait for bytes
    }
  }
  return consumed;
}

bool RequestReader::CheckHeader() {
  auto& beast = *parser_->beast;
  const auto& message = beast.get();
  const std::string_view target = View(message.target());
  const std::string_view method = View(message.method_string());
  if (target.size() > limits_.max_target_bytes) {
    Reject(414, absl::StrCat("Request target is longer than ", limits_.max_target_bytes, " bytes"));
    return false;
  }
  const size_t request_line = method.size() + 1 + target.size() + 1 + 8 + 2;
  const size_t field_bytes = header_bytes_ > request_line ? header_bytes_ - request_line : 0;
  if (field_bytes > limits_.max_header_bytes) {
    Reject(431, absl::StrCat("Request headers are larger than ", limits_.max_header_bytes, " bytes"));
    return false;
  }

  Request& request = parser_->request;
  size_t host_count = 0;
  bool has_transfer_encoding = false;
  for (const auto& field : message) {
    std::string name = LowerCase(View(field.name_string()));
    if (name == "host") ++host_count;
    if (name == "transfer-encoding") has_transfer_encoding = true;
    auto [it, inserted] = request.headers.try_emplace(std::move(name), View(field.value()));
    if (!inserted) {
      // RFC 9110 5.3: repeated fields are one comma-separated list; Cookie
      // is the exception and joins with "; " (RFC 6265 5.4).
      it->second += it->first == "cookie" ? "; " : ", ";
      it->second += View(field.value());
    }
  }
  if (message.version() >= 11 && host_count != 1) {
    Reject(400, "Malformed HTTP request: an HTTP/1.1 request needs exactly one Host header");
    return false;
  }
  // A request body is framed by Content-Length or chunked coding only
  // (RFC 9112 6.3); anything else would leave us guessing where it ends.
  if (has_transfer_encoding && !beast.chunked()) {
    Reject(400, "Malformed HTTP request: unsupported Transfer-Encoding");
    return false;
  }

  auto decoded = DecodeTarget(target);
  if (!decoded.ok()) {
    Reject(400, absl::StrCat("Malformed HTTP request: ", decoded.status().message()));
    return false;
  }
  if (decoded->path == "*" && message.method() != bhttp::verb::options) {
    Reject(400, "Malformed HTTP request: '*' is only a target for OPTIONS");
    return false;
  }
  request.method = std::string(method);
  request.path = std::move(decoded->path);
  request.query_params = std::move(decoded->query_params);
  request.request_id = ChooseRequestId(request.Header("x-request-id"));

  keep_alive_ = beast.keep_alive();
  is_head_ = message.method() == bhttp::verb::head;
  const std::string* expect = request.Header("expect");
  parser_->expects_continue = message.version() >= 11 && expect != nullptr &&
                              absl::EqualsIgnoreCase(*expect, "100-continue");
  return true;
}

bool RequestReader::expects_continue() const {
  return parser_->expects_continue && state_ == State::kNeedMore;
}

ParsedRequest RequestReader::TakeRequest() {
  ParsedRequest parsed{std::move(parser_->request), keep_alive_, is_head_};
  Reset();
  return parsed;
}

void RequestReader::Reject(int status, std::string message) {
  state_ = State::kRejected;
  rejection_.status = status;
  rejection_.message = std::move(message);
  // Fields Beast has already parsed are complete, so the client's id is
  // usable even when the request as a whole is not.
  const auto& fields = parser_->beast->get();
  auto it = fields.find("x-request-id");
  std::string client_id;
  if (it != fields.end()) client_id = std::string(View(it->value()));
  rejection_.request_id = ChooseRequestId(it != fields.end() ? &client_id : nullptr);
}

}  // namespace tessera::http
