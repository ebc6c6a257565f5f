#pragma once
// Debian's Abseil is built with its own absl::string_view (not an alias of
// std::string_view), so std::string_view does not convert implicitly. This
// is the one bridge; use it where a std::string_view meets an Abseil API.
#include <string_view>

#include "absl/strings/string_view.h"

namespace tessera {

inline absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace tessera
