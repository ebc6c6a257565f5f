#include "model/cube_reader.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "model/cube_scope.h"
#include "model/member_readers.h"
#include "model/refresh_interval.h"
#include "model/titles.h"

namespace tessera::model {

namespace {

constexpr absl::string_view kCubeKeys[] = {
    "name",   "sql",         "sql_table", "title",    "description", "public",
    "visible", "shown",      "meta",      "refresh_key", "joins",    "measures",
    "dimensions", "segments", "access_policy"};
// A performance hint only: results are the same without it.
constexpr absl::string_view kIgnoredCubeKeys[] = {"pre_aggregations"};

// Names that templates give a meaning of their own; a cube called CUBE could
// never be referenced.
bool IsReservedCubeName(absl::string_view name) {
  return name == "CUBE" || name == "TABLE" || name == "securityContext" ||
         name == "SECURITY_CONTEXT";
}

void ReadSource(const YAML::Node& node, const Fields& fields, Cube& cube, CubeScope& scope) {
  const Field* sql = FindField(fields, "sql");
  const Field* table = FindField(fields, "sql_table");
  if (sql != nullptr && table != nullptr) {
    scope.sink.Add(table->key, cube.name, "a cube has either 'sql' or 'sql_table', not both");
    return;
  }
  if (sql == nullptr && table == nullptr) {
    scope.sink.Add(node, cube.name, "cube needs 'sql' or 'sql_table'");
    return;
  }
  if (sql != nullptr) {
    if (std::optional<SqlTemplate> t = ReadSqlField(fields, SqlOf(TemplateRole::kCubeSql), scope)) {
      cube.sql = *std::move(t);
    }
    return;
  }
  std::optional<std::string> name = StringField(fields, "sql_table", scope.sink, cube.name);
  if (!name) return;
  if (name->empty() || name->find_first_of("{}") != std::string::npos) {
    scope.sink.Add(table->value, cube.name,
                   "'sql_table' must be a plain table name; use 'sql' for references");
    return;
  }
  cube.sql_table = *name;
  const std::string select = absl::StrCat("SELECT * FROM ", *name);
  cube.sql.source = select;
  cube.sql.parts.push_back(SqlPart{SqlPart::Kind::kText, select, "", ""});
}

void ReadRefreshKey(const Field& field, Cube& cube, CubeScope& scope) {
  if (!field.value.IsMap()) {
    scope.sink.Add(field.value.IsNull() ? field.key : field.value, cube.name,
                   "'refresh_key' must be a mapping with 'every' or 'sql'");
    return;
  }
  static constexpr absl::string_view kRefreshKeys[] = {"every", "sql"};
  Fields fields = ReadFields(field.value, kRefreshKeys, {}, scope.sink, cube.name);
  if (FindField(fields, "every") == nullptr && FindField(fields, "sql") == nullptr) {
    scope.sink.Add(field.value, cube.name, "'refresh_key' needs 'every' or 'sql'");
  }
  if (std::optional<std::string> every = StringField(fields, "every", scope.sink, cube.name)) {
    absl::StatusOr<int64_t> seconds = ParseRefreshInterval(*every);
    if (seconds.ok()) {
      cube.refresh_key.every_seconds = *seconds;
    } else {
      scope.sink.Add(FindField(fields, "every")->value, cube.name,
                     std::string(seconds.status().message()));
    }
  }
  if (std::optional<SqlTemplate> sql =
          ReadSqlField(fields, SqlOf(TemplateRole::kRefreshKeySql), scope)) {
    cube.refresh_key.sql = *std::move(sql);
  }
}

// Calls `read` for each item of the list under `key`; a missing or empty
// (null) list is fine.
template <typename ReadItem>
void ForEachItem(const Fields& fields, absl::string_view key, CubeScope& scope,
                 ReadItem&& read) {
  const Field* f = FindField(fields, key);
  if (f == nullptr || f->value.IsNull()) return;
  if (!f->value.IsSequence()) {
    scope.sink.Add(f->value, scope.cube_name, absl::StrCat("'", key, "' must be a list"));
    return;
  }
  for (const YAML::Node& item : f->value) read(item);
}

// Measures, dimensions and segments share one namespace: `{x}` must name one.
class MemberNames {
 public:
  explicit MemberNames(CubeScope& scope) : scope_(scope) {}

  bool Claim(const std::string& name, const SourceLocation& at) {
    auto [it, inserted] = lines_.emplace(name, at.line);
    if (!inserted) {
      scope_.sink.AddAt(at, scope_.Label(name),
                        absl::StrCat("duplicate member name '", name,
                                     "' (already defined at line ", it->second, ")"));
    }
    return inserted;
  }

 private:
  CubeScope& scope_;
  std::map<std::string, int> lines_;
};

}  // namespace

std::optional<Cube> ReadCube(const YAML::Node& node, ErrorSink& sink,
                             std::vector<TemplateUse>& uses) {
  if (!node.IsMap()) {
    sink.Add(node, "", "each entry of 'cubes' must be a mapping");
    return std::nullopt;
  }
  const std::string peek_label = PeekName(node).value_or("");
  Fields fields = ReadFields(node, kCubeKeys, kIgnoredCubeKeys, sink, peek_label);
  std::optional<std::string> name = ReadName(node, fields, "cube", sink, peek_label);
  if (!name) return std::nullopt;
  if (IsReservedCubeName(*name)) {
    sink.Add(FindField(fields, "name")->value, *name,
             absl::StrCat("'", *name, "' is reserved in SQL templates and cannot name a cube"));
    return std::nullopt;
  }

  Cube cube;
  cube.name = *name;
  cube.location = sink.Locate(node);
  cube.title = StringField(fields, "title", sink, cube.name).value_or(Titleize(cube.name));
  cube.description = StringField(fields, "description", sink, cube.name).value_or("");
  cube.is_public = VisibilityField(fields, true, sink, cube.name);
  cube.meta = MetaField(fields, sink, cube.name);

  CubeScope scope{sink, cube.name, cube.title, uses};
  ReadSource(node, fields, cube, scope);
  if (const Field* f = FindField(fields, "refresh_key")) ReadRefreshKey(*f, cube, scope);

  MemberNames names(scope);
  ForEachItem(fields, "measures", scope, [&](const YAML::Node& item) {
    std::optional<Measure> m = ReadMeasure(item, scope);
    if (m && names.Claim(m->name, m->location)) cube.measures.push_back(*std::move(m));
  });
  ForEachItem(fields, "dimensions", scope, [&](const YAML::Node& item) {
    std::optional<Dimension> d = ReadDimension(item, scope);
    if (d && names.Claim(d->name, d->location)) cube.dimensions.push_back(*std::move(d));
  });
  ForEachItem(fields, "segments", scope, [&](const YAML::Node& item) {
    std::optional<Segment> s = ReadSegment(item, scope);
    if (s && names.Claim(s->name, s->location)) cube.segments.push_back(*std::move(s));
  });
  ForEachItem(fields, "joins", scope, [&](const YAML::Node& item) {
    std::optional<Join> j = ReadJoin(item, scope);
    if (!j) return;
    for (const Join& existing : cube.joins) {
      if (existing.target == j->target) {
        sink.AddAt(j->location, cube.name,
                   absl::StrCat("duplicate join to '", j->target, "' (already joined at line ",
                                existing.location.line, ")"));
        return;
      }
    }
    cube.joins.push_back(*std::move(j));
  });
  // After the members: policies name them.
  if (const Field* f = FindField(fields, "access_policy")) ReadAccessPolicies(*f, cube, scope);
  return cube;
}

}  // namespace tessera::model
