// Strict JSON for JOSE: Boost.JSON's basic_parser does the lexing (UTF-8
// validation, surrogate checks on \u escapes, depth limit, no comments or
// trailing commas); our handler builds the value and refuses duplicate member
// names at every depth, which boost::json::parse would silently resolve
// (RFC 7515 §4 and RFC 8725 §3.10 want them rejected, since two parsers may
// pick different duplicates).
#include "identity/jose/strict_json.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

class StrictHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  bool on_document_begin(bj::error_code&) { return true; }
  bool on_document_end(bj::error_code&) { return true; }

  bool on_array_begin(bj::error_code&) {
    frames_.push_back(Frame{bj::value(bj::array_kind), {}});
    return true;
  }
  bool on_array_end(std::size_t, bj::error_code& ec) { return CloseFrame(ec); }
  bool on_object_begin(bj::error_code&) {
    frames_.push_back(Frame{bj::value(bj::object_kind), {}});
    return true;
  }
  bool on_object_end(std::size_t, bj::error_code& ec) { return CloseFrame(ec); }

  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    buffer_.append(s.data(), s.size());
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code& ec) {
    buffer_.append(s.data(), s.size());
    bj::value v(bj::string_view(buffer_.data(), buffer_.size()));
    buffer_.clear();
    return Emit(std::move(v), ec);
  }
  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    buffer_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code& ec) {
    buffer_.append(s.data(), s.size());
    Frame& top = frames_.back();
    if (top.value.as_object().contains(bj::string_view(buffer_.data(), buffer_.size()))) {
      error_ = absl::StrCat("duplicate member name \"", buffer_, "\" at depth ", frames_.size());
      ec = bj::error::syntax;
      return false;
    }
    top.key = std::move(buffer_);
    buffer_.clear();
    return true;
  }
  bool on_number_part(bj::string_view, bj::error_code&) { return true; }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code& ec) { return Emit(bj::value(i), ec); }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code& ec) { return Emit(bj::value(u), ec); }
  bool on_double(double d, bj::string_view, bj::error_code& ec) { return Emit(bj::value(d), ec); }
  bool on_bool(bool b, bj::error_code& ec) { return Emit(bj::value(b), ec); }
  bool on_null(bj::error_code& ec) { return Emit(bj::value(nullptr), ec); }
  // Comments are disabled in the parse options; these are never called.
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

  const std::string& error() const { return error_; }
  bool has_result() const { return has_result_; }
  bj::value TakeResult() { return std::move(result_); }

 private:
  struct Frame {
    bj::value value;  // an array or an object
    std::string key;  // the pending member name, for objects
  };

  bool CloseFrame(bj::error_code& ec) {
    bj::value v = std::move(frames_.back().value);
    frames_.pop_back();
    return Emit(std::move(v), ec);
  }

  bool Emit(bj::value v, bj::error_code&) {
    if (frames_.empty()) {
      result_ = std::move(v);
      has_result_ = true;
      return true;
    }
    Frame& top = frames_.back();
    if (top.value.is_array()) {
      top.value.as_array().push_back(std::move(v));
    } else {
      top.value.as_object().emplace(top.key, std::move(v));
      top.key.clear();
    }
    return true;
  }

  std::vector<Frame> frames_;
  std::string buffer_;
  std::string error_;
  bj::value result_;
  bool has_result_ = false;
};

bj::parse_options StrictOptions() {
  bj::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  return options;
}

}  // namespace

absl::StatusOr<bj::value> ParseStrictJson(std::string_view text) {
  bj::basic_parser<StrictHandler> parser(StrictOptions());
  bj::error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    if (!parser.handler().error().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("JSON: ", parser.handler().error()));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("JSON is malformed near offset ", consumed, ": ", ec.message()));
  }
  if (consumed != text.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON has ", text.size() - consumed, " trailing bytes after the value"));
  }
  if (!parser.handler().has_result()) {
    return absl::InvalidArgumentError("JSON text holds no value");
  }
  return parser.handler().TakeResult();
}

absl::StatusOr<bj::object> ParseStrictJsonObject(std::string_view text) {
  absl::StatusOr<bj::value> value = ParseStrictJson(text);
  if (!value.ok()) return value.status();
  if (!value->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON top-level value is a ", std::string(bj::to_string(value->kind())), ", not an object"));
  }
  return std::move(value->as_object());
}

}  // namespace tessera::identity::jose
