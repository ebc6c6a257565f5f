#pragma once
// Readers for the parts of one cube. Each reports its problems to the scope's
// sink and returns nullopt only when the part has no usable name; a named part
// with other errors is still returned so that references to it resolve and
// produce no follow-on errors.
#include <optional>

#include "model/compiled_model.h"
#include "model/cube_scope.h"
#include "model/yaml_fields.h"
#include "yaml-cpp/yaml.h"

namespace tessera::model {

std::optional<Measure> ReadMeasure(const YAML::Node& node, CubeScope& scope);
std::optional<Dimension> ReadDimension(const YAML::Node& node, CubeScope& scope);
std::optional<Segment> ReadSegment(const YAML::Node& node, CubeScope& scope);
std::optional<Join> ReadJoin(const YAML::Node& node, CubeScope& scope);
// `access_policy:` — every policy, with member names checked against `cube`.
void ReadAccessPolicies(const Field& field, Cube& cube, CubeScope& scope);

}  // namespace tessera::model
