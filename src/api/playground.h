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

// POST /playground/generate-schema with {"tables": ["schema.table" | "table", ...]}:
// {"files": [{"fileName": "orders.yml", "content": "cubes:\n..."}]}, joins
// only between the chosen tables. The files are returned, not written: the
// server's model is what it was started with. InvalidArgument for a body that
// is not that shape or names a table the database does not have.
absl::StatusOr<std::string> GenerateSchemaJson(const std::vector<driver::TableSchema>& tables, std::string_view body);

}  // namespace tessera::api
