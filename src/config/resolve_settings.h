#pragma once
// The resolver behind ResolveSettings and LoadSettings, with the two inputs
// the public ResolveSettings takes from the process made explicit: how the
// config file is named in messages, and the directory relative SQLite paths
// are resolved against.
#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

#include "config/settings.h"

namespace tessera::config {

// Layers built-in defaults < `config_yaml` < `env`, validates every value and
// the combination (default_limit <= max_limit), and makes a relative SQLite
// CUBEJS_DB_NAME absolute against `base_dir`. All problems are reported, one
// per line of the message.
absl::StatusOr<Settings> ResolveSettingsIn(std::string_view config_yaml,
                                           const std::string& config_label,
                                           const Environment& env,
                                           const std::filesystem::path& base_dir);

}  // namespace tessera::config
