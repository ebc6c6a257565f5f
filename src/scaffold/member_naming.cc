#include "scaffold/member_naming.h"

#include <cctype>
#include <vector>

namespace tessera::scaffold {
namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
char Upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Words separated by anything that is not a letter or digit.
std::vector<std::string> SplitWords(std::string_view identifier) {
  std::vector<std::string> words;
  std::string current;
  for (char c : identifier) {
    if (IsAlnum(c)) {
      current += c;
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool IsAllUpper(const std::string& word) {
  for (char c : word) {
    if (std::islower(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// An all-caps word ("ID", "URL") is a word, not an acronym to keep shouting.
std::string Capitalized(const std::string& word) {
  std::string out = word;
  if (IsAllUpper(out)) {
    for (char& c : out) c = Lower(c);
  }
  out[0] = Upper(out[0]);
  return out;
}

// Cube and member names must be identifiers; a leading digit gets a '_'.
std::string EnsureIdentifier(std::string name) {
  if (name.empty()) return "_";
  if (std::isdigit(static_cast<unsigned char>(name[0]))) name.insert(name.begin(), '_');
  return name;
}

}  // namespace

std::string PascalCase(std::string_view identifier) {
  std::string out;
  for (const std::string& word : SplitWords(identifier)) out += Capitalized(word);
  return EnsureIdentifier(std::move(out));
}

std::string CamelCase(std::string_view identifier) {
  std::string out;
  for (const std::string& word : SplitWords(identifier)) {
    if (out.empty()) {
      std::string first = IsAllUpper(word) ? Capitalized(word) : word;
      first[0] = Lower(first[0]);
      out += first;
    } else {
      out += Capitalized(word);
    }
  }
  return EnsureIdentifier(std::move(out));
}

bool IsPlainSqlIdentifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string SqlIdentifier(std::string_view name) {
  if (IsPlainSqlIdentifier(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';  // SQL escapes a quote by doubling it
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace tessera::scaffold
