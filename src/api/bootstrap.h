#pragma once
// `tessera serve`: assembles the pipeline from settings (model, data source,
// identity stage, HTTP server) and runs until SIGINT or SIGTERM.
#include <iosfwd>

#include "absl/status/status.h"

#include "config/settings.h"

namespace tessera::api {

absl::Status RunServer(const config::Settings& settings, std::ostream& console);

}  // namespace tessera::api
