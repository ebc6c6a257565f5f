#include "api/playground.h"

#include <boost/json.hpp>

#include <set>

#include "absl/strings/str_cat.h"
#include "scaffold/cube_scaffold.h"
#include "scaffold/cube_yaml_writer.h"

namespace tessera::api {

namespace json = boost::json;

std::string TablesSchemaJson(const std::vector<driver::TableSchema>& tables) {
  json::object schemas;
  for (const driver::TableSchema& t : tables) {
    json::array columns;
    for (const driver::ColumnSchema& c : t.columns) {
      columns.push_back(json::object{{"name", c.name}, {"type", c.sql_type}});
    }
    json::value& schema = schemas[t.schema];
    if (!schema.is_object()) schema = json::object();
    schema.as_object()[t.name] = std::move(columns);
  }
  return json::serialize(json::object{{"tablesSchema", std::move(schemas)}});
}

absl::StatusOr<std::vector<std::string>> ParseTableChoice(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  const json::value* list = nullptr;
  if (!ec && parsed.is_object()) list = parsed.as_object().if_contains("tables");
  if (list == nullptr || !list->is_array() || list->as_array().empty()) {
    return absl::InvalidArgumentError(R"(Expected {"tables": ["schema.table", ...]} with at least one table)");
  }
  std::vector<std::string> names;
  for (const json::value& name : list->as_array()) {
    if (!name.is_string()) return absl::InvalidArgumentError("Each table must be a string like \"public.orders\"");
    names.emplace_back(name.as_string());
  }
  return names;
}

absl::StatusOr<std::string> GenerateSchemaJson(const std::vector<driver::TableSchema>& tables,
                                               const std::vector<std::string>& chosen_names) {
  std::set<const driver::TableSchema*> chosen;
  for (const std::string& wanted : chosen_names) {
    const driver::TableSchema* found = nullptr;
    for (const driver::TableSchema& t : tables) {
      if (wanted == t.name || wanted == absl::StrCat(t.schema, ".", t.name)) found = &t;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("The database has no table named ", json::serialize(json::value(wanted))));
    }
    chosen.insert(found);
  }
  std::vector<scaffold::CubeDraft> drafts =
      scaffold::ScaffoldCubes(tables, [&](const driver::TableSchema& t) { return chosen.count(&t) > 0; });
  json::array files;
  for (size_t i = 0; i < tables.size(); ++i) {
    if (chosen.count(&tables[i]) == 0) continue;
    files.push_back(json::object{{"fileName", scaffold::TableFileStem(tables[i]) + ".yml"},
                                 {"content", scaffold::WriteCubeYaml(drafts[i])}});
  }
  return json::serialize(json::object{{"files", std::move(files)}});
}

}  // namespace tessera::api
