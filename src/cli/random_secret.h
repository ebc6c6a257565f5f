#pragma once
// Secrets for new projects (CUBEJS_API_SECRET), from the OS CSPRNG via
// OpenSSL, so every `tessera init` gets its own signing key.
#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace tessera::cli {

// `bytes` random bytes as lower-case hex (2 * bytes characters).
absl::StatusOr<std::string> RandomHexSecret(size_t bytes);

}  // namespace tessera::cli
