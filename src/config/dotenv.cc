// ParseDotEnv: the `.env` syntax of the `dotenv` package that Cube loads,
// made strict. Values are never quoted back in messages (a .env file holds
// CUBEJS_DB_PASS and CUBEJS_API_SECRET); errors name the line and the key.
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

#include "config/settings.h"

namespace tessera::config {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsKeyStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9'); }

class DotEnvParser {
 public:
  explicit DotEnvParser(std::string_view text) : text_(text) {
    // A UTF-8 byte order mark, as some Windows editors write, is not part of
    // the first key.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  absl::StatusOr<Environment> Parse() {
    Environment env;
    while (!AtEnd()) {
      SkipBlanks();
      if (AtLineEnd()) {
        ConsumeLineEnd();
        continue;
      }
      if (Peek() == '#') {
        SkipToLineEnd();
        ConsumeLineEnd();
        continue;
      }
      const int entry_line = line_;
      SkipExportPrefix();
      std::string key;
      while (!AtEnd() && IsKeyChar(Peek())) key += text_[pos_++];
      if (key.empty() || !IsKeyStart(key.front())) {
        return Error(entry_line, "expected KEY=VALUE with a name of letters, digits and '_'");
      }
      SkipBlanks();
      if (AtEnd() || Peek() != '=') {
        return Error(entry_line, absl::StrCat("expected '=' after ", key));
      }
      ++pos_;
      SkipBlanks();
      absl::StatusOr<std::string> value = ParseValue(key, entry_line);
      if (!value.ok()) return value.status();
      env[key] = *std::move(value);  // a later line wins, as in dotenv
      ConsumeLineEnd();
    }
    return env;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  bool AtLineEnd() const {
    return AtEnd() || Peek() == '\n' || (Peek() == '\r' && pos_ + 1 < text_.size() &&
                                         text_[pos_ + 1] == '\n');
  }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(Peek())) ++pos_;
  }
  void SkipToLineEnd() {
    while (!AtLineEnd()) ++pos_;
  }
  void ConsumeLineEnd() {
    if (AtEnd()) return;
    if (Peek() == '\r') ++pos_;
    if (!AtEnd() && Peek() == '\n') {
      ++pos_;
      ++line_;
    }
  }
  void SkipExportPrefix() {
    constexpr std::string_view kExport = "export";
    if (text_.substr(pos_, kExport.size()) == kExport && pos_ + kExport.size() < text_.size() &&
        IsBlank(text_[pos_ + kExport.size()])) {
      pos_ += kExport.size();
      SkipBlanks();
    }
  }

  absl::Status Error(int line, const std::string& message) const {
    return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", message));
  }

  absl::StatusOr<std::string> ParseValue(const std::string& key, int entry_line) {
    if (AtEnd()) return std::string();
    if (Peek() == '"' || Peek() == '\'') {
      const char quote = text_[pos_++];
      absl::StatusOr<std::string> value =
          quote == '"' ? ParseDoubleQuoted(key, entry_line) : ParseSingleQuoted(key, entry_line);
      if (!value.ok()) return value;
      SkipBlanks();
      if (!AtLineEnd() && Peek() == '#') SkipToLineEnd();
      if (!AtLineEnd()) {
        return Error(line_, absl::StrCat("unexpected text after the closing quote of ", key));
      }
      return value;
    }
    return ParseUnquoted();
  }

  // Up to the end of the line; " #" starts a comment, so a '#' inside a word
  // (a password such as abc#123) stays part of the value.
  std::string ParseUnquoted() {
    const size_t start = pos_;
    SkipToLineEnd();
    std::string_view raw = text_.substr(start, pos_ - start);
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '#' && (i == 0 || IsBlank(raw[i - 1]))) {
        raw = raw.substr(0, i);
        break;
      }
    }
    while (!raw.empty() && IsBlank(raw.back())) raw.remove_suffix(1);
    return std::string(raw);
  }

  // Literal text up to the next single quote; may span lines (PEM keys).
  absl::StatusOr<std::string> ParseSingleQuoted(const std::string& key, int entry_line) {
    std::string value;
    while (!AtEnd() && Peek() != '\'') AppendChar(value);
    if (AtEnd()) {
      return Error(entry_line, absl::StrCat("unterminated single-quoted value of ", key));
    }
    ++pos_;
    return value;
  }

  absl::StatusOr<std::string> ParseDoubleQuoted(const std::string& key, int entry_line) {
    std::string value;
    while (!AtEnd() && Peek() != '"') {
      if (Peek() != '\\') {
        AppendChar(value);
        continue;
      }
      if (pos_ + 1 >= text_.size()) break;
      const char escaped = text_[pos_ + 1];
      switch (escaped) {
        case 'n': value += '\n'; break;
        case 'r': value += '\r'; break;
        case 't': value += '\t'; break;
        case '"': value += '"'; break;
        case '\\': value += '\\'; break;
        case '$': value += '$'; break;
        default:
          // The offending character is not shown: it belongs to a value
          // that may be a secret.
          return Error(line_, absl::StrCat("unsupported escape sequence in the value of ", key,
                                           " (supported: \\n \\r \\t \\\" \\\\ \\$)"));
      }
      pos_ += 2;
    }
    if (AtEnd()) {
      return Error(entry_line, absl::StrCat("unterminated double-quoted value of ", key));
    }
    ++pos_;
    return value;
  }

  // Copies one character of a quoted value, folding CRLF to LF and counting
  // lines so later errors still name the right line.
  void AppendChar(std::string& value) {
    if (Peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    if (Peek() == '\n') ++line_;
    value += text_[pos_++];
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<Environment> ParseDotEnv(std::string_view text) {
  return DotEnvParser(text).Parse();
}

}  // namespace tessera::config
