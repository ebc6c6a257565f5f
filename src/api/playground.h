#pragma once
// The Playground's model generator, as Cube's dev server offers it (dev mode
// only): the database's tables, and YAML cubes drafted from the chosen ones.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "driver/data_source.h"

namespace tessera::api {

// GET /playground/db-schema: Cube's shape,
// {"tablesSchema": {"<schema>": {"<table>": [{"name": "...", "type": "..."}]}}}.
std::string TablesSchemaJson(const std::vector<driver::TableSchema>& tables);

// POST /playground/generate-schema's body, {"tables": ["schema.table" | "table", ...]}:
// the names, or InvalidArgument for anything else (checked before the
// database is introspected).
absl::StatusOr<std::vector<std::string>> ParseTableChoice(std::string_view body);

// {"files": [{"fileName": "orders.yml", "content": "cubes:\n..."}]} for the
// chosen tables, joins only between them. The files are returned, not
// written: the server's model is what it was started with. InvalidArgument
// for a name the database does not have.
absl::StatusOr<std::string> GenerateSchemaJson(const std::vector<driver::TableSchema>& tables,
                                               const std::vector<std::string>& chosen_names);

}  // namespace tessera::api
