#include "model/member_readers.h"

namespace tessera::model {

std::optional<Segment> ReadSegment(const YAML::Node& node, CubeScope& scope) {
  if (!node.IsMap()) {
    scope.sink.Add(node, scope.cube_name, "each segment must be a mapping");
    return std::nullopt;
  }
  // `meta` is accepted for compatibility; Cube's /meta does not show it for segments.
  static constexpr absl::string_view kSegmentKeys[] = {"name",    "sql",   "title", "description",
                                                      "public",  "visible", "shown"};
  static constexpr absl::string_view kUnused[] = {"meta"};
  const std::string peek_label = scope.Label(PeekName(node).value_or(""));
  Fields fields = ReadFields(node, kSegmentKeys, kUnused, scope.sink, peek_label);
  std::optional<std::string> name = ReadName(node, fields, "segment", scope.sink, peek_label);
  if (!name) return std::nullopt;

  Segment s;
  s.name = *name;
  s.location = scope.sink.Locate(node);
  const std::string label = scope.Label(s.name);
  const SqlFieldSpec spec = SqlOf(TemplateRole::kSegmentSql, s.name);
  if (std::optional<SqlTemplate> sql = ReadSqlField(fields, spec, scope)) {
    s.sql = *std::move(sql);
  } else if (FindField(fields, "sql") == nullptr) {
    scope.sink.Add(node, label, "segment has no 'sql'");
  }
  AssignTitles(fields, s.name, scope, &s.title, &s.short_title);
  s.description = StringField(fields, "description", scope.sink, label).value_or("");
  s.is_public = VisibilityField(fields, true, scope.sink, label);
  return s;
}

}  // namespace tessera::model
