#pragma once
// `refresh_key: every:` intervals in Cube's syntax: "<n> <unit>[s]" with unit
// second, minute, hour, day or week, and exactly one space ("1 hour",
// "30 minutes"). Cron expressions are not supported.
#include <cstdint>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace tessera::model {

// The interval in seconds (always > 0).
absl::StatusOr<int64_t> ParseRefreshInterval(absl::string_view every);

}  // namespace tessera::model
