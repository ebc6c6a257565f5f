#include "driver/redact.h"

#include <algorithm>
#include <vector>

namespace tessera::driver {
namespace {

void ReplaceAll(std::string& text, std::string_view needle, std::string_view replacement) {
  if (needle.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), replacement);
    pos += replacement.size();
  }
}

}  // namespace

std::string RedactParams(std::string_view message, const sql::Params& params) {
  std::string out(message);
  // Longest first, so a value that contains another is hidden whole.
  std::vector<std::string_view> values;
  for (const sql::Param& p : params) {
    if (p.type != sql::Param::Type::kNull && p.text.size() >= 2) values.push_back(p.text);
  }
  std::sort(values.begin(), values.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  for (std::string_view v : values) ReplaceAll(out, v, "<param>");
  return out;
}

std::string RedactSecret(std::string_view message, std::string_view secret) {
  std::string out(message);
  ReplaceAll(out, secret, "<password>");
  return out;
}

}  // namespace tessera::driver
