#pragma once
// The one table of every setting: its Cube-style environment variable, its
// tessera.yaml key and how its text becomes a Settings field. The config file
// reader, the environment reader and docs/configuration.md all follow it, so
// a new setting is added in exactly one place.
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"

#include "config/settings.h"

namespace tessera::config {

struct SettingSpec {
  std::string_view env_var;     // e.g. "CUBEJS_DB_PORT"
  std::string_view config_key;  // dotted path in tessera.yaml, e.g. "database.port"
  // Secrets are never echoed: their parsers cannot fail, and no message
  // built from a secret's origin includes its value.
  bool secret = false;
  // An empty environment value means "not set" for typed settings (a
  // template line such as `CUBEJS_DB_PORT=` keeps the default), but is a real
  // value for free text such as an empty password.
  bool empty_is_unset = true;
  // Parses `value` into `settings`; the message describes only the problem.
  absl::Status (*apply)(std::string_view value, Settings& settings) = nullptr;
  // The field's value as tessera.yaml would spell it (for the commented
  // template `tessera init` writes).
  std::string (*show)(const Settings& settings) = nullptr;
  std::string_view summary;  // one line, for the template's comments
};

std::span<const SettingSpec> SettingCatalog();

// nullptr when `config_key` names no setting.
const SettingSpec* FindSettingByConfigKey(std::string_view config_key);

// True for the tessera.yaml keys that hold a nested mapping ("database").
bool IsConfigSection(std::string_view config_key);

// Top-level keys of tessera.yaml that hold structured rules rather than
// settings (`query_rewrite:`, `tenancy:`). The stages that use them read them
// from Settings::config_text, with their own line-numbered errors.
bool IsStructuredSection(std::string_view config_key);

}  // namespace tessera::config
