#include "audit/record_fields.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tessera::audit {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return 0;
  }
  return n;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t i = 0;
  while (i < value.size()) {
    // Runs of printable ASCII (nearly everything a record holds) in one
    // append.
    size_t plain = i;
    while (plain < value.size()) {
      unsigned char c = static_cast<unsigned char>(value[plain]);
      if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') break;
      ++plain;
    }
    out.append(value.data() + i, plain - i);
    i = plain;
    if (i == value.size()) break;
    unsigned char c = static_cast<unsigned char>(value[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    size_t n = Utf8Length(value, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    out.append(value.data() + i, n);
    i += n;
  }
  out += '"';
}

void RecordFields::Name(std::string_view name) {
  if (!text_.empty()) text_ += ',';
  text_ += '"';
  text_.append(name.data(), name.size());
  text_ += "\":";
}

RecordFields& RecordFields::Members(std::string_view members) {
  if (members.empty()) return *this;
  if (!text_.empty()) text_ += ',';
  text_.append(members.data(), members.size());
  return *this;
}

RecordFields& RecordFields::Str(std::string_view name, std::string_view value) {
  Name(name);
  AppendJsonString(text_, value);
  return *this;
}

RecordFields& RecordFields::StrOrNull(std::string_view name, std::string_view value) {
  return value.empty() ? Null(name) : Str(name, value);
}

RecordFields& RecordFields::Int(std::string_view name, int64_t value) {
  Name(name);
  absl::StrAppend(&text_, value);
  return *this;
}

RecordFields& RecordFields::Bool(std::string_view name, bool value) {
  Name(name);
  text_ += value ? "true" : "false";
  return *this;
}

RecordFields& RecordFields::Null(std::string_view name) {
  Name(name);
  text_ += "null";
  return *this;
}

RecordFields& RecordFields::StrList(std::string_view name, const std::vector<std::string>& values) {
  Name(name);
  text_ += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) text_ += ',';
    AppendJsonString(text_, values[i]);
  }
  text_ += ']';
  return *this;
}

RecordFields& RecordFields::Raw(std::string_view name, std::string_view json) {
  Name(name);
  text_.append(json.data(), json.size());
  return *this;
}

RecordFields& RecordFields::Millis(std::string_view name, int64_t micros) {
  Name(name);
  if (micros < 0) micros = 0;
  absl::StrAppend(&text_, micros / 1000, ".");
  int64_t frac = micros % 1000;
  if (frac < 100) text_ += '0';
  if (frac < 10) text_ += '0';
  absl::StrAppend(&text_, frac);
  return *this;
}

std::string RecordTime() {
  std::string out;
  AppendRecordTime(out);
  return out;
}

void AppendRecordTime(std::string& out) {
  // Every request's record starts with its time: the calendar part is
  // formatted once per second per thread, the microseconds by hand.
  thread_local int64_t cached_second = -1;
  thread_local std::string cached_prefix;  // "2026-12-05T14:00:00."
  auto now = std::chrono::system_clock::now();
  int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  int64_t second = micros >= 0 ? micros / 1000000 : (micros - 999999) / 1000000;
  if (second != cached_second) {
    cached_prefix = absl::FormatTime("%Y-%m-%dT%H:%M:%S.", absl::FromUnixSeconds(second), absl::UTCTimeZone());
    cached_second = second;
  }
  int64_t fraction = micros - second * 1000000;
  char digits[7];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  out += cached_prefix;
  out.append(digits, 6);
  out += 'Z';
}

RecordFields& RecordFields::TimeNow(std::string_view name) {
  Name(name);
  text_ += '"';
  AppendRecordTime(text_);
  text_ += '"';
  return *this;
}

}  // namespace tessera::audit
