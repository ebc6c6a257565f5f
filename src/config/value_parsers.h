#pragma once
// Strict text-to-value conversions shared by the config file and the
// environment. Strict because a typo in production configuration (PORT=40OO,
// CUBEJS_DEV_MODE=yes) must stop the server, not silently pick a default.
// Messages describe the problem only; callers prefix the variable or key.
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace tessera::config {

// A decimal integer in [min, max]: an optional leading '-' and digits only
// (no spaces, no '+', no hex), so "4000 " or "4e3" are errors.
absl::Status ParseInteger(std::string_view text, int64_t min, int64_t max, int64_t& out);

// Only "true" and "false": Cube tests CUBEJS_DEV_MODE === 'true', so any other
// spelling would be read as false there; rejecting it here avoids that trap.
absl::Status ParseBool(std::string_view text, bool& out);

// The value as it may appear in a message: quoted and cut to a short length,
// so a stray multi-line value cannot flood the log.
std::string QuoteForMessage(std::string_view text);

}  // namespace tessera::config
