#pragma once
// Reads one entry of a file's `cubes:` list into a Cube.
#include <optional>
#include <vector>

#include "model/compiled_model.h"
#include "model/error_sink.h"
#include "model/template_use.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

// Reports problems to `sink` and appends the cube's SQL templates to `uses`.
// Returns nullopt only when the cube has no usable name.
std::optional<Cube> ReadCube(const YAML::Node& node, ErrorSink& sink,
                             std::vector<TemplateUse>& uses);

}  // namespace tessera::model
