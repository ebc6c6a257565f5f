#include "absl/strings/str_cat.h"
#include "model/member_readers.h"
#include "model/member_types.h"

namespace tessera::model {

namespace {

constexpr absl::string_view kDimensionKeys[] = {
    "name",        "sql",    "type",   "title",   "description", "primary_key",
    "public",      "visible", "shown", "format",  "meta",        "case"};

// A case label is a literal (emitted later as a bound parameter); Cube's
// `label: {sql: ...}` form is not supported.
std::optional<std::string> ReadLabel(const YAML::Node& owner, const Fields& fields,
                                     CubeScope& scope, const std::string& label) {
  const Field* f = FindField(fields, "label");
  if (f == nullptr) {
    scope.sink.Add(owner, label, "case branch has no 'label'");
    return std::nullopt;
  }
  return StringField(fields, "label", scope.sink, label);
}

void ReadCase(const Field& field, Dimension& d, CubeScope& scope) {
  const std::string label = scope.Label(d.name);
  if (!field.value.IsMap()) {
    scope.sink.Add(field.value.IsNull() ? field.key : field.value, label,
                   "'case' must be a mapping with 'when' and optional 'else'");
    return;
  }
  static constexpr absl::string_view kCaseKeys[] = {"when", "else"};
  Fields fields = ReadFields(field.value, kCaseKeys, {}, scope.sink, label);
  const Field* when = FindField(fields, "when");
  if (when == nullptr || !when->value.IsSequence() || when->value.size() == 0) {
    scope.sink.Add(when != nullptr ? when->key : field.value, label,
                   "'case' needs a non-empty 'when' list");
  } else {
    for (const YAML::Node& item : when->value) {
      if (!item.IsMap()) {
        scope.sink.Add(item, label, "each 'when' must be a mapping with 'sql' and 'label'");
        continue;
      }
      static constexpr absl::string_view kWhenKeys[] = {"sql", "label"};
      Fields branch = ReadFields(item, kWhenKeys, {}, scope.sink, label);
      const SqlFieldSpec spec = SqlOf(TemplateRole::kCaseWhen, d.name);
      std::optional<SqlTemplate> sql = ReadSqlField(branch, spec, scope);
      if (FindField(branch, "sql") == nullptr) {
        scope.sink.Add(item, label, "case branch has no 'sql'");
      }
      std::optional<std::string> text = ReadLabel(item, branch, scope, label);
      if (sql && text) d.case_when.push_back(CaseWhen{*std::move(sql), *std::move(text)});
    }
  }
  if (const Field* otherwise = FindField(fields, "else")) {
    if (!otherwise->value.IsMap()) {
      scope.sink.Add(otherwise->value.IsNull() ? otherwise->key : otherwise->value, label,
                     "'else' must be a mapping with 'label'");
      return;
    }
    static constexpr absl::string_view kElseKeys[] = {"label"};
    Fields branch = ReadFields(otherwise->value, kElseKeys, {}, scope.sink, label);
    d.case_else = ReadLabel(otherwise->value, branch, scope, label);
  }
}

}  // namespace

std::optional<Dimension> ReadDimension(const YAML::Node& node, CubeScope& scope) {
  if (!node.IsMap()) {
    scope.sink.Add(node, scope.cube_name, "each dimension must be a mapping");
    return std::nullopt;
  }
  const std::string peek_label = scope.Label(PeekName(node).value_or(""));
  Fields fields = ReadFields(node, kDimensionKeys, {}, scope.sink, peek_label);
  std::optional<std::string> name = ReadName(node, fields, "dimension", scope.sink, peek_label);
  if (!name) return std::nullopt;

  Dimension d;
  d.name = *name;
  d.location = scope.sink.Locate(node);
  const std::string label = scope.Label(d.name);

  if (std::optional<std::string> written = StringField(fields, "type", scope.sink, label)) {
    if (std::optional<DimensionType> type = ParseDimensionType(*written)) {
      d.type = *type;
    } else {
      scope.sink.Add(FindField(fields, "type")->value, label,
                     absl::StrCat("unknown dimension type '", *written,
                                  "' (expected string, number, time or boolean)"));
    }
  } else if (FindField(fields, "type") == nullptr) {
    scope.sink.Add(node, label, "dimension has no 'type'");
  }

  const Field* sql_field = FindField(fields, "sql");
  const Field* case_field = FindField(fields, "case");
  if (sql_field != nullptr && case_field != nullptr) {
    scope.sink.Add(case_field->key, label, "a dimension has either 'sql' or 'case', not both");
  } else if (sql_field == nullptr && case_field == nullptr) {
    scope.sink.Add(node, label, "dimension needs 'sql' or 'case'");
  }
  SqlFieldSpec spec = SqlOf(TemplateRole::kDimensionSql, d.name);
  spec.prefix_bare_column = true;
  if (std::optional<SqlTemplate> sql = ReadSqlField(fields, spec, scope)) d.sql = *std::move(sql);
  if (case_field != nullptr) ReadCase(*case_field, d, scope);

  AssignTitles(fields, d.name, scope, &d.title, &d.short_title);
  d.description = StringField(fields, "description", scope.sink, label).value_or("");
  d.format = StringField(fields, "format", scope.sink, label).value_or("");
  d.primary_key = BoolField(fields, "primary_key", scope.sink, label).value_or(false);
  // Cube 0.27 hides primary keys from /meta unless they are explicitly shown;
  // they can still be queried.
  d.is_public = VisibilityField(fields, !d.primary_key, scope.sink, label);
  d.meta = MetaField(fields, scope.sink, label);
  return d;
}

}  // namespace tessera::model
