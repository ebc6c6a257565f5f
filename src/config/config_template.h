#pragma once
// The tessera.yaml that `tessera init` writes: every key, commented out, with
// its default and its environment variable, generated from the setting
// catalog so it can never drift from what the resolver accepts.
#include <string>

namespace tessera::config {

// Removing the leading "# " from each line that has one gives a valid
// tessera.yaml that resolves to the defaults.
std::string CommentedConfigTemplate();

}  // namespace tessera::config
