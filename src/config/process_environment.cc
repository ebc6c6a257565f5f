#include "config/process_environment.h"

#include <unistd.h>

#include <cstring>

namespace tessera::config {

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* eq = std::strchr(*entry, '=');
    if (eq == nullptr) continue;
    env.emplace(std::string(*entry, eq - *entry), std::string(eq + 1));
  }
  return env;
}

Environment MergeEnvironments(const Environment& dotenv, const Environment& process) {
  Environment merged = dotenv;
  for (const auto& [key, value] : process) merged[key] = value;
  return merged;
}

}  // namespace tessera::config
