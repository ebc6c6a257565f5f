#include "config/value_parsers.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace tessera::config {
namespace {

constexpr size_t kMaxEchoedChars = 40;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string QuoteForMessage(std::string_view text) {
  std::string shown(text.substr(0, kMaxEchoedChars));
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > kMaxEchoedChars) shown += "...";
  return absl::StrCat("'", shown, "'");
}

absl::Status ParseInteger(std::string_view text, int64_t min, int64_t max, int64_t& out) {
  const bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("expected an integer, got ", QuoteForMessage(text)));
  }
  // Accumulate as a negative number so INT64_MIN is representable; overflow
  // is checked before each step.
  int64_t value = 0;
  for (char c : digits) {
    if (!IsDigit(c)) {
      return absl::InvalidArgumentError(
          absl::StrCat("expected an integer, got ", QuoteForMessage(text)));
    }
    const int digit = c - '0';
    if (value < (std::numeric_limits<int64_t>::min() + digit) / 10) {
      return absl::InvalidArgumentError(
          absl::StrCat("integer out of range: ", QuoteForMessage(text)));
    }
    value = value * 10 - digit;
  }
  if (!negative) {
    if (value == std::numeric_limits<int64_t>::min()) {
      return absl::InvalidArgumentError(
          absl::StrCat("integer out of range: ", QuoteForMessage(text)));
    }
    value = -value;
  }
  if (value < min) {
    if (min == 0) {
      return absl::InvalidArgumentError(absl::StrCat("must not be negative, got ", value));
    }
    return absl::InvalidArgumentError(absl::StrCat("must be at least ", min, ", got ", value));
  }
  if (value > max) {
    return absl::InvalidArgumentError(absl::StrCat("must be at most ", max, ", got ", value));
  }
  out = value;
  return absl::OkStatus();
}

absl::Status ParseBool(std::string_view text, bool& out) {
  if (text == "true") {
    out = true;
    return absl::OkStatus();
  }
  if (text == "false") {
    out = false;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("expected 'true' or 'false', got ", QuoteForMessage(text)));
}

}  // namespace tessera::config
