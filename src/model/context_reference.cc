#include "model/context_reference.h"

namespace tessera::model {

std::optional<std::string> ContextPath(std::string_view text) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
  };
  text = trim(text);
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  text = trim(text.substr(1, text.size() - 2));
  for (std::string_view prefix : {"securityContext.", "SECURITY_CONTEXT."}) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    std::string_view path = text.substr(prefix.size());
    if (path.empty() || path.front() == '.' || path.back() == '.') return std::nullopt;
    for (char c : path) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-' || c == ':' || c == '/';
      if (!ok) return std::nullopt;
    }
    return std::string(path);
  }
  return std::nullopt;
}

bool MentionsContext(std::string_view text) {
  return text.find("securityContext") != std::string_view::npos ||
         text.find("SECURITY_CONTEXT") != std::string_view::npos;
}

}  // namespace tessera::model
