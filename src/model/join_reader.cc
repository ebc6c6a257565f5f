#include "absl/strings/str_cat.h"
#include "model/member_readers.h"
#include "model/member_types.h"

namespace tessera::model {

std::optional<Join> ReadJoin(const YAML::Node& node, CubeScope& scope) {
  if (!node.IsMap()) {
    scope.sink.Add(node, scope.cube_name, "each join must be a mapping");
    return std::nullopt;
  }
  static constexpr absl::string_view kJoinKeys[] = {"name", "sql", "relationship"};
  const std::string label = scope.cube_name;
  Fields fields = ReadFields(node, kJoinKeys, {}, scope.sink, label);
  std::optional<std::string> target = ReadName(node, fields, "join", scope.sink, label);
  if (!target) return std::nullopt;

  Join j;
  j.target = *target;
  j.location = scope.sink.Locate(node);
  if (std::optional<std::string> written =
          StringField(fields, "relationship", scope.sink, label)) {
    if (std::optional<Relationship> r = ParseRelationship(*written)) {
      j.relationship = *r;
    } else {
      scope.sink.Add(FindField(fields, "relationship")->value, label,
                     absl::StrCat("unknown relationship '", *written,
                                  "' (expected many_to_one, one_to_many or one_to_one)"));
    }
  } else if (FindField(fields, "relationship") == nullptr) {
    scope.sink.Add(node, label, absl::StrCat("join to '", j.target, "' has no 'relationship'"));
  }
  const SqlFieldSpec spec = SqlOf(TemplateRole::kJoinSql);
  if (std::optional<SqlTemplate> sql = ReadSqlField(fields, spec, scope)) {
    j.sql = *std::move(sql);
  } else if (FindField(fields, "sql") == nullptr) {
    scope.sink.Add(node, label, absl::StrCat("join to '", j.target, "' has no 'sql'"));
  }
  return j;
}

}  // namespace tessera::model
