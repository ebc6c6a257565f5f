#include "config/resolve_settings.h"

#include <map>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "base/absl_compat.h"
#include "config/config_file.h"
#include "config/setting_catalog.h"

namespace tessera::config {
namespace {

constexpr std::string_view kDefaultOrigin = "built-in default";

// Applies values in precedence order, remembering where each setting's
// final value came from so cross-field errors can say which source to fix.
class SettingsBuilder {
 public:
  void Apply(const SettingSpec& spec, std::string_view value, const std::string& origin) {
    absl::Status status = spec.apply(value, settings_);
    if (!status.ok()) {
      errors_.push_back(absl::StrCat(origin, ": ", status.message()));
      return;
    }
    origin_[spec.config_key] = origin;
  }

  std::string OriginOf(std::string_view config_key) const {
    auto it = origin_.find(config_key);
    return it == origin_.end() ? std::string(kDefaultOrigin) : it->second;
  }

  void CheckLimits() {
    if (settings_.default_limit > settings_.max_limit) {
      errors_.push_back(absl::StrCat("default_limit ", settings_.default_limit, " (from ",
                                     OriginOf("default_limit"), ") is greater than max_limit ",
                                     settings_.max_limit, " (from ", OriginOf("max_limit"), ")"));
    }
  }

  void ResolveSqlitePath(const std::filesystem::path& base_dir) {
    std::string& name = settings_.database.database;
    // ":memory:" and SQLite URI filenames are not paths on disk.
    if (settings_.database.type != "sqlite" || name.empty() || name == ":memory:" ||
        name.rfind("file:", 0) == 0) {
      return;
    }
    std::filesystem::path path(name);
    if (path.is_relative()) name = (base_dir / path).lexically_normal().string();
  }

  absl::StatusOr<Settings> Result() && {
    if (!errors_.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    return std::move(settings_);
  }

 private:
  Settings settings_;
  std::map<std::string_view, std::string> origin_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<Settings> ResolveSettingsIn(std::string_view config_yaml,
                                           const std::string& config_label,
                                           const Environment& env,
                                           const std::filesystem::path& base_dir) {
  absl::StatusOr<std::vector<ConfigAssignment>> assignments =
      ReadConfigFile(config_yaml, config_label);
  if (!assignments.ok()) return assignments.status();

  SettingsBuilder builder;
  for (const ConfigAssignment& a : *assignments) {
    builder.Apply(*a.spec, a.value,
                  absl::StrCat(config_label, ":", a.line, ": ", AsAbsl(a.spec->config_key)));
  }
  for (const SettingSpec& spec : SettingCatalog()) {
    auto it = env.find(std::string(spec.env_var));
    if (it == env.end()) continue;
    if (it->second.empty() && spec.empty_is_unset) continue;
    builder.Apply(spec, it->second, std::string(spec.env_var));
  }
  builder.CheckLimits();
  builder.ResolveSqlitePath(base_dir);

  absl::StatusOr<Settings> settings = std::move(builder).Result();
  if (!settings.ok()) return settings;
  if (auto it = env.find("TESSERA_CONFIG"); it != env.end()) settings->config_file = it->second;
  settings->config_text = std::string(config_yaml);
  settings->config_label = config_label;
  settings->base_dir = base_dir.string();
  return settings;
}

absl::StatusOr<Settings> ResolveSettings(std::string_view config_yaml, const Environment& env) {
  auto it = env.find("TESSERA_CONFIG");
  const std::string label = it != env.end() && !it->second.empty() ? it->second : "tessera.yaml";
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  if (ec) return absl::FailedPreconditionError("cannot determine the working directory");
  return ResolveSettingsIn(config_yaml, label, env, cwd);
}

}  // namespace tessera::config
