#pragma once
// What the readers of one cube's parts (measures, dimensions, segments,
// joins) share: where errors go, the cube's name and title, and the list of
// SQL templates whose references are checked once every file is read.
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "model/error_sink.h"
#include "model/template_use.h"
#include "model/yaml_fields.h"

namespace tessera::model {

struct CubeScope {
  ErrorSink& sink;
  std::string cube_name;
  std::string cube_title;
  std::vector<TemplateUse>& uses;

  // "orders.count" for a member, "orders" for the cube itself.
  std::string Label(absl::string_view member) const;
};

struct SqlFieldSpec {
  absl::string_view key = "sql";
  absl::string_view owner_member;  // "" for cube-level SQL and joins
  TemplateRole role = TemplateRole::kCubeSql;
  // Measures and dimensions: `sql: amount` means {CUBE}.amount, as in Cube.
  bool prefix_bare_column = false;
  std::optional<MeasureType> measure_type;
};

// The spec for SQL with `role` owned by `owner_member` ("" for the cube).
inline SqlFieldSpec SqlOf(TemplateRole role, absl::string_view owner_member = "") {
  SqlFieldSpec spec;
  spec.role = role;
  spec.owner_member = owner_member;
  return spec;
}

// Parses the SQL template under `spec.key` and records its references for
// checking. Returns nullopt if the key is absent or the SQL is invalid (the
// latter is reported).
std::optional<SqlTemplate> ReadSqlField(const Fields& fields, const SqlFieldSpec& spec,
                                        CubeScope& scope);

// The value of `name:` if `node` is a mapping that has a scalar one, without
// reporting anything; used to label errors about the node's other keys.
std::optional<std::string> PeekName(const YAML::Node& node);

// The validated `name:` of a cube part; reports a missing or invalid name.
// `kind` is "measure", "dimension", ... for messages.
std::optional<std::string> ReadName(const YAML::Node& node, const Fields& fields,
                                    absl::string_view kind, ErrorSink& sink,
                                    absl::string_view label);

// The titles Cube's /meta shows: `title:` or the titleized name as the short
// title, prefixed with the cube title for the full title.
void AssignTitles(const Fields& fields, absl::string_view name, CubeScope& scope,
                  std::string* title, std::string* short_title);

}  // namespace tessera::model
