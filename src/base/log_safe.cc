#include "base/log_safe.h"

namespace tessera {

std::string LogSafe(std::string_view text) {
  constexpr std::size_t kMax = 300;
  std::string out;
  for (char c : text.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    // Non-ASCII bytes too: U+2028 or NEL would break a line in some viewers.
    if (u < 0x20 || u >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  if (text.size() > kMax) out += "...";
  return out;
}

}  // namespace tessera
