// LoadSettings: finds .env and the config file for a working directory and
// hands their text to the resolver. All file access of config/ is here.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"

#include "config/process_environment.h"
#include "config/resolve_settings.h"
#include "config/settings.h"

namespace tessera::config {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("error while reading ", path.string()));
  return text.str();
}

bool IsRegularFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// The config file to read, or an empty path when there is none. An explicit
// TESSERA_CONFIG that does not exist is an error (the operator asked for it);
// a missing default ./tessera.yaml just means defaults.
absl::StatusOr<fs::path> LocateConfigFile(const fs::path& dir, const Environment& env) {
  auto it = env.find("TESSERA_CONFIG");
  if (it != env.end() && !it->second.empty()) {
    fs::path path(it->second);
    if (path.is_relative()) path = dir / path;
    if (!IsRegularFile(path)) {
      return absl::NotFoundError(
          absl::StrCat("TESSERA_CONFIG: config file ", path.string(), " does not exist"));
    }
    return path;
  }
  fs::path path = dir / "tessera.yaml";
  return IsRegularFile(path) ? path : fs::path();
}

}  // namespace

absl::StatusOr<Settings> LoadSettings(const std::string& working_dir) {
  std::error_code ec;
  const fs::path dir = fs::absolute(working_dir.empty() ? "." : working_dir, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad working directory ", working_dir));

  Environment dotenv;
  const fs::path dotenv_path = dir / ".env";
  if (IsRegularFile(dotenv_path)) {
    absl::StatusOr<std::string> text = ReadTextFile(dotenv_path);
    if (!text.ok()) return text.status();
    absl::StatusOr<Environment> parsed = ParseDotEnv(*text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(dotenv_path.string(), ": ", parsed.status().message()));
    }
    dotenv = *std::move(parsed);
  }
  const Environment env = MergeEnvironments(dotenv, ProcessEnvironment());

  absl::StatusOr<fs::path> config_path = LocateConfigFile(dir, env);
  if (!config_path.ok()) return config_path.status();
  std::string config_text;
  std::string label = "tessera.yaml";
  if (!config_path->empty()) {
    absl::StatusOr<std::string> text = ReadTextFile(*config_path);
    if (!text.ok()) return text.status();
    config_text = *std::move(text);
    label = config_path->string();
  }

  absl::StatusOr<Settings> settings = ResolveSettingsIn(config_text, label, env, dir);
  if (!settings.ok()) return settings;
  settings->config_file = config_path->string();
  return settings;
}

}  // namespace tessera::config
