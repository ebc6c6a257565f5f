#include "model/titles.h"

#include <array>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tessera::model {

namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == '_' || c == '.' || c == '-' || c == ' '; }

// The npm package `camelcase` 6.x with {pascalCase: true}, for ASCII input.
std::string PascalCase(absl::string_view name) {
  std::string s(absl::StripAsciiWhitespace(name));
  if (s.empty()) return s;
  if (s.size() == 1) return absl::AsciiStrToUpper(s);

  if (s != absl::AsciiStrToLower(s)) {
    // Mark word starts with '-': "createdAt" -> "created-At",
    // "HTTPCode" -> "HTTP-Code".
    bool last_lower = false, last_upper = false, last_last_upper = false;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (last_lower && IsUpper(c)) {
        s.insert(i, 1, '-');
        last_lower = false;
        last_last_upper = last_upper;
        last_upper = true;
        ++i;
      } else if (last_upper && last_last_upper && IsLower(c)) {
        s.insert(i - 1, 1, '-');
        last_last_upper = last_upper;
        last_upper = false;
        last_lower = true;
      } else {
        last_lower = IsLower(c);
        last_last_upper = last_upper;
        last_upper = IsUpper(c);
      }
    }
  }
  size_t lead = 0;
  while (lead < s.size() && IsSeparator(s[lead])) ++lead;
  s = absl::AsciiStrToLower(absl::string_view(s).substr(lead));
  if (!s.empty()) s[0] = absl::ascii_toupper(static_cast<unsigned char>(s[0]));

  // A run of separators disappears and upper-cases the letter after it.
  std::string joined;
  for (size_t i = 0; i < s.size();) {
    if (!IsSeparator(s[i])) {
      joined += s[i++];
      continue;
    }
    while (i < s.size() && IsSeparator(s[i])) ++i;
    if (i < s.size()) joined += absl::ascii_toupper(static_cast<unsigned char>(s[i++]));
  }
  // A letter right after digits starts a new word: "order2items" -> "Order2Items".
  for (size_t i = 1; i < joined.size(); ++i) {
    if (IsDigit(joined[i - 1]) && IsLower(joined[i])) {
      joined[i] = absl::ascii_toupper(static_cast<unsigned char>(joined[i]));
    }
  }
  return joined;
}

// inflection.underscore: "_" before each capital, one leading "_" dropped.
std::string Underscore(absl::string_view s) {
  std::string out;
  for (char c : s) {
    if (IsUpper(c)) out += '_';
    out += c;
  }
  if (!out.empty() && out[0] == '_') out.erase(0, 1);
  return absl::AsciiStrToLower(out);
}

constexpr std::array<absl::string_view, 22> kSmallWords = {
    "and", "or", "nor", "a", "an", "the", "so", "but", "to", "of", "at",
    "by", "from", "into", "on", "onto", "off", "out", "in", "over", "with", "for"};

bool IsSmallWord(absl::string_view w) {
  for (absl::string_view small : kSmallWords) {
    if (w == small) return true;
  }
  return false;
}

// inflection.titleize.
std::string InflectionTitleize(absl::string_view s) {
  std::string lower = absl::AsciiStrToLower(s);
  for (char& c : lower) {
    if (c == '_') c = ' ';
  }
  std::vector<std::string> words;
  for (absl::string_view word : absl::StrSplit(lower, ' ')) {
    std::vector<std::string> pieces;
    for (absl::string_view piece : absl::StrSplit(word, '-')) {
      std::string p(piece);
      if (!p.empty() && !IsSmallWord(p)) {
        p[0] = absl::ascii_toupper(static_cast<unsigned char>(p[0]));
      }
      pieces.push_back(std::move(p));
    }
    words.push_back(absl::StrJoin(pieces, "-"));
  }
  std::string out = absl::StrJoin(words, " ");
  if (!out.empty()) out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
  return out;
}

}  // namespace

std::string Titleize(absl::string_view name) {
  return InflectionTitleize(Underscore(PascalCase(name)));
}

std::string MemberTitle(absl::string_view cube_title, absl::string_view member_short_title) {
  return absl::StrCat(cube_title, " ", member_short_title);
}

}  // namespace tessera::model
