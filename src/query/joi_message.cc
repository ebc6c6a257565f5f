#include "query/joi_message.h"

#include "base/user_error.h"

namespace tessera::query::joi {

namespace {
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}
}  // namespace

std::string Child(std::string_view key, std::string_view inner) {
  return "child " + Quoted(key) + " fails because [" + std::string(inner) + "]";
}

std::string AtPosition(std::string_view label, size_t position, std::string_view inner) {
  return Quoted(label) + " at position " + std::to_string(position) + " fails because [" +
         std::string(inner) + "]";
}

std::string MustBe(std::string_view label, std::string_view what) {
  return Must(label, "be " + std::string(what));
}

std::string Must(std::string_view label, std::string_view rule) {
  return Quoted(label) + " must " + std::string(rule);
}

std::string PatternMismatch(std::string_view label, std::string_view value,
                            std::string_view pattern) {
  return Quoted(label) + " with value " + Quoted(value) +
         " fails to match the required pattern: " + std::string(pattern);
}

std::string NotAllowed(std::string_view key) { return Quoted(key) + " is not allowed"; }

absl::Status InvalidQueryFormat(std::string_view message) {
  return UserError("Invalid query format: " + std::string(message));
}

}  // namespace tessera::query::joi
