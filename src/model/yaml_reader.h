#pragma once
// Parses one model file's text into a YAML node tree. This is the only place
// yaml-cpp parses untrusted bytes, so it is also where its exceptions stop and
// where pathological documents (deep nesting, alias bombs) are turned away
// before any other code walks the tree recursively.
#include <optional>
#include "absl/strings/string_view.h"

#include "model/error_sink.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

// Deeper documents are refused: model files need about 6 levels, and later
// stages walk `meta:` blocks recursively.
inline constexpr int kMaxYamlDepth = 64;
// Aliases let a small file describe a huge tree; walks stop after this many
// node visits.
inline constexpr int kMaxYamlNodeVisits = 200'000;

// The file's single document, or nullopt after reporting why it is unusable.
// An empty file yields a null node.
std::optional<YAML::Node> ReadYamlDocument(absl::string_view text, ErrorSink& sink);

}  // namespace tessera::model
