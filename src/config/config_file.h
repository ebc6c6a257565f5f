#pragma once
// Reads tessera.yaml into (setting, value, line) assignments without applying
// them, so the resolver can layer them under the environment. Every problem
// names the file and line, and unknown keys are errors: a misspelt key that
// silently did nothing would leave a production setting at its default.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "config/setting_catalog.h"

namespace tessera::config {

struct ConfigAssignment {
  const SettingSpec* spec = nullptr;
  std::string value;
  int line = 0;  // 1-based line of the value in the file
};

// `label` names the file in messages ("tessera.yaml"). Empty or comment-only
// text gives no assignments. All problems are reported, one per line.
absl::StatusOr<std::vector<ConfigAssignment>> ReadConfigFile(std::string_view yaml_text,
                                                             const std::string& label);

}  // namespace tessera::config
