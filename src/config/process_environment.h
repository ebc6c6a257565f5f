#pragma once
// The process environment as an Environment map, read in one place so the
// rest of config/ stays pure and testable with plain maps.
#include "config/settings.h"

namespace tessera::config {

Environment ProcessEnvironment();

// `dotenv` overlaid by `process`: real environment variables win over the
// .env file, as in Cube (dotenv never overrides a variable already set).
Environment MergeEnvironments(const Environment& dotenv, const Environment& process);

}  // namespace tessera::config
