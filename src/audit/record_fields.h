#pragma once
// Builds the members of one audit record (the text between the chain's
// `"prev":…,` and `,"hash":…`) in a fixed order, straight into a string: it
// runs once per request on the io thread, so no JSON tree is built.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::audit {

class RecordFields {
 public:
  RecordFields() = default;
  // Room for about `expected_bytes` (one allocation per record).
  explicit RecordFields(size_t expected_bytes) { text_.reserve(expected_bytes); }
  // Builds into `buffer` (emptied first), reusing its memory; Take() gives
  // it back.
  explicit RecordFields(std::string buffer) : text_(std::move(buffer)) { text_.clear(); }

  // Members already formatted elsewhere (`"a":1,"b":2`), appended as they are.
  RecordFields& Members(std::string_view members);
  RecordFields& Str(std::string_view name, std::string_view value);
  // A string member, or null when `value` is empty.
  RecordFields& StrOrNull(std::string_view name, std::string_view value);
  RecordFields& Int(std::string_view name, int64_t value);
  RecordFields& Bool(std::string_view name, bool value);
  RecordFields& Null(std::string_view name);
  RecordFields& StrList(std::string_view name, const std::vector<std::string>& values);
  // `json` must be valid JSON text (a value serialised elsewhere).
  RecordFields& Raw(std::string_view name, std::string_view json);
  // The current time, as RecordTime() writes it.
  RecordFields& TimeNow(std::string_view name);
  // Milliseconds with microsecond precision: 1.234.
  RecordFields& Millis(std::string_view name, int64_t micros);

  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  void Name(std::string_view name);
  std::string text_;
};

// Appends `value` as a JSON string literal (quotes included). Invalid UTF-8
// bytes become U+FFFD so that every record stays valid JSON.
void AppendJsonString(std::string& out, std::string_view value);

// The current time as the records write it: 2026-12-05T14:00:00.123456Z.
std::string RecordTime();
void AppendRecordTime(std::string& out);

}  // namespace tessera::audit
