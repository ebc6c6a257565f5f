#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "model/member_readers.h"
#include "model/member_types.h"
#include "model/template_parser.h"

namespace tessera::model {

namespace {

constexpr absl::string_view kMeasureKeys[] = {
    "name",   "sql",     "type",  "title", "description", "format", "filters",
    "drill_members", "public", "visible", "shown", "meta"};

void ReadFilters(const Field& field, Measure& m, CubeScope& scope) {
  const std::string label = scope.Label(m.name);
  if (!field.value.IsSequence()) {
    scope.sink.Add(field.value.IsNull() ? field.key : field.value, label,
                   "'filters' must be a list of {sql: ...}");
    return;
  }
  for (const YAML::Node& item : field.value) {
    if (!item.IsMap()) {
      scope.sink.Add(item, label, "each filter must be a mapping with 'sql'");
      continue;
    }
    static constexpr absl::string_view kFilterKeys[] = {"sql"};
    Fields fields = ReadFields(item, kFilterKeys, {}, scope.sink, label);
    if (FindField(fields, "sql") == nullptr) {
      scope.sink.Add(item, label, "filter has no 'sql'");
      continue;
    }
    const SqlFieldSpec spec = SqlOf(TemplateRole::kMeasureFilter, m.name);
    if (std::optional<SqlTemplate> t = ReadSqlField(fields, spec, scope)) {
      m.filters.push_back(*std::move(t));
    }
  }
}

void ReadDrillMembers(const Field& field, Measure& m, CubeScope& scope) {
  const std::string label = scope.Label(m.name);
  if (!field.value.IsSequence()) {
    scope.sink.Add(field.value.IsNull() ? field.key : field.value, label,
                   "'drill_members' must be a list of member names");
    return;
  }
  for (const YAML::Node& item : field.value) {
    std::vector<absl::string_view> path;
    if (item.IsScalar()) path = absl::StrSplit(item.Scalar(), '.');
    bool valid = !path.empty() && path.size() <= 2;
    for (absl::string_view p : path) valid = valid && IsIdentifier(p);
    if (!valid) {
      scope.sink.Add(item, label,
                     absl::StrCat("invalid drill member '", item.IsScalar() ? item.Scalar() : "",
                                  "': expected 'member' or 'Cube.member'"));
      continue;
    }
    MemberRef ref = path.size() == 1
                        ? MemberRef{scope.cube_name, std::string(path[0])}
                        : MemberRef{std::string(path[0]), std::string(path[1])};
    m.drill_members.push_back(absl::StrCat(ref.cube, ".", ref.member));
    scope.uses.push_back(TemplateUse{scope.sink.Locate(item), scope.cube_name, m.name,
                                     TemplateRole::kDrillMembers, std::nullopt, {ref}});
  }
}

}  // namespace

std::optional<Measure> ReadMeasure(const YAML::Node& node, CubeScope& scope) {
  if (!node.IsMap()) {
    scope.sink.Add(node, scope.cube_name, "each measure must be a mapping");
    return std::nullopt;
  }
  const std::string peek_label = scope.Label(PeekName(node).value_or(""));
  Fields fields = ReadFields(node, kMeasureKeys, {}, scope.sink, peek_label);
  std::optional<std::string> name = ReadName(node, fields, "measure", scope.sink, peek_label);
  if (!name) return std::nullopt;

  Measure m;
  m.name = *name;
  m.location = scope.sink.Locate(node);
  const std::string label = scope.Label(m.name);

  std::optional<MeasureType> type;
  if (std::optional<std::string> written = StringField(fields, "type", scope.sink, label)) {
    type = ParseMeasureType(*written);
    if (!type) {
      scope.sink.Add(FindField(fields, "type")->value, label,
                     absl::StrCat("unknown measure type '", *written, "'"));
    }
  } else if (FindField(fields, "type") == nullptr) {
    scope.sink.Add(node, label, "measure has no 'type'");
  }
  if (type) m.type = *type;

  SqlFieldSpec spec = SqlOf(TemplateRole::kMeasureSql, m.name);
  spec.prefix_bare_column = true;
  spec.measure_type = type;
  if (std::optional<SqlTemplate> sql = ReadSqlField(fields, spec, scope)) {
    m.sql = *std::move(sql);
  } else if (type && MeasureNeedsSql(*type) && FindField(fields, "sql") == nullptr) {
    scope.sink.Add(node, label,
                   absl::StrCat("a measure of type '", MeasureTypeName(*type), "' needs 'sql'"));
  }

  AssignTitles(fields, m.name, scope, &m.title, &m.short_title);
  m.description = StringField(fields, "description", scope.sink, label).value_or("");
  m.format = StringField(fields, "format", scope.sink, label).value_or("");
  if (const Field* f = FindField(fields, "filters")) ReadFilters(*f, m, scope);
  if (const Field* f = FindField(fields, "drill_members")) ReadDrillMembers(*f, m, scope);
  m.is_public = VisibilityField(fields, true, scope.sink, label);
  m.meta = MetaField(fields, scope.sink, label);
  return m;
}

}  // namespace tessera::model
