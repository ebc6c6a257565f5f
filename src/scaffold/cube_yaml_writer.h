#pragma once
// Writes a cube draft as a model file in Cube's YAML syntax, laid out the way
// a person would write it (blank lines between members), so the generated
// file is a starting point to edit rather than machine output.
#include <string>
#include <string_view>

#include "scaffold/cube_draft.h"

namespace tessera::scaffold {

std::string WriteCubeYaml(const CubeDraft& cube);

// `text` as a YAML scalar: plain when that reads back as the same string,
// double-quoted with escapes otherwise ("{CUBE}.id", "true", "a: b").
std::string YamlScalar(std::string_view text);

}  // namespace tessera::scaffold
