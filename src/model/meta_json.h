#pragma once
// Converts a `meta:` YAML value to JSON text, which /meta passes through
// unchanged (Cube sends `meta` as the JSON form of what the author wrote).
#include <string>

#include "absl/status/statusor.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

// Bounds that keep aliases from inflating one `meta:` into a huge response.
inline constexpr int kMaxMetaNodes = 10'000;
inline constexpr size_t kMaxMetaBytes = 1 << 20;

// Plain scalars are typed by the YAML 1.2 core schema (null, true/false,
// integers, floats); quoted and block scalars stay strings. The node must be
// within the yaml_reader depth limit.
absl::StatusOr<std::string> MetaToJson(const YAML::Node& node);

}  // namespace tessera::model
