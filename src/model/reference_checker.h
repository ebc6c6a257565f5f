#pragma once
// Checks that need the whole model, run after every file is read: references
// to cubes and members, joins to existing cubes, what may refer to a measure,
// and cycles between members (which would make SQL expansion loop forever).
#include <vector>

#include "model/compiled_model.h"
#include "model/template_use.h"

namespace tessera::model {

void CheckReferences(const std::vector<Cube>& cubes, const std::vector<TemplateUse>& uses,
                     std::vector<ModelError>* errors);

}  // namespace tessera::model
