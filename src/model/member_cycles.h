#pragma once
// Finds members whose SQL refers back to themselves through other members
// (`a: {b} + 1`, `b: {a} * 2`). Expanding such SQL would never end, so each
// cycle is reported once, at its first-declared member.
#include <vector>

#include "model/compiled_model.h"
#include "model/template_use.h"

namespace tessera::model {

void ReportMemberCycles(const std::vector<Cube>& cubes, const std::vector<TemplateUse>& uses,
                        std::vector<ModelError>* errors);

}  // namespace tessera::model
