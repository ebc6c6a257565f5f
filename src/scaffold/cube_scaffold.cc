#include "scaffold/cube_scaffold.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

#include "scaffold/member_naming.h"
#include "scaffold/scaffold_rules.h"

namespace tessera::scaffold {
namespace {

using driver::ColumnSchema;
using driver::TableSchema;

bool IsDefaultSchema(const TableSchema& table) {
  return table.schema.empty() || table.schema == "public" || table.schema == "main";
}

// Member names must be unique within a cube across measures and dimensions.
class NameRegistry {
 public:
  NameRegistry() { used_.insert("count"); }
  std::string Claim(const std::string& base, std::string_view preferred_suffix = "") {
    if (used_.insert(base).second) return base;
    if (!preferred_suffix.empty()) {
      std::string with_suffix = absl::StrCat(base, AsView(preferred_suffix));
      if (used_.insert(with_suffix).second) return with_suffix;
    }
    for (int i = 2;; ++i) {
      std::string numbered = absl::StrCat(base, i);
      if (used_.insert(numbered).second) return numbered;
    }
  }

 private:
  static absl::string_view AsView(std::string_view s) { return {s.data(), s.size()}; }
  std::set<std::string> used_;
};

// A draft plus what joins from other tables need to know about it.
struct ScaffoldedTable {
  const TableSchema* table = nullptr;
  CubeDraft draft;
  std::map<std::string, std::string> dimension_of_column;
};

std::string CubeSql(const std::string& column) { return absl::StrCat("{CUBE}.", SqlIdentifier(column)); }

// Declared primary keys; failing those, a column called "id" (as Cube does).
std::set<std::string> PrimaryKeyColumns(const TableSchema& table) {
  std::set<std::string> keys;
  for (const ColumnSchema& c : table.columns) {
    if (c.primary_key) keys.insert(c.name);
  }
  if (keys.empty()) {
    for (const ColumnSchema& c : table.columns) {
      if (c.name == "id" || c.name == "ID" || c.name == "Id") {
        keys.insert(c.name);
        break;
      }
    }
  }
  return keys;
}

ScaffoldedTable ScaffoldTable(const TableSchema& table) {
  ScaffoldedTable out;
  out.table = &table;
  CubeDraft& draft = out.draft;
  draft.file_stem = TableFileStem(table);
  draft.table = TableDisplayName(table);
  draft.name = IsDefaultSchema(table) ? PascalCase(table.name)
                                      : PascalCase(absl::StrCat(table.schema, "_", table.name));
  draft.sql_table = IsDefaultSchema(table)
                        ? SqlIdentifier(table.name)
                        : absl::StrCat(SqlIdentifier(table.schema), ".", SqlIdentifier(table.name));

  const std::set<std::string> keys = PrimaryKeyColumns(table);
  NameRegistry names;
  MeasureDraft count;
  count.name = "count";
  count.type = "count";
  std::vector<MeasureDraft> sums;
  for (const ColumnSchema& column : table.columns) {
    const ColumnKind kind = ClassifySqlType(column.sql_type);
    const bool is_key = keys.count(column.name) > 0 || column.foreign_key.has_value();
    if (kind == ColumnKind::kNumber && !is_key && LooksLikeMeasureColumn(column.name)) {
      // Like Cube's generator, an amount is summed rather than grouped by,
      // and is not also a dimension.
      MeasureDraft sum;
      sum.name = names.Claim(CamelCase(column.name), "Sum");
      sum.column = column.name;
      sum.sql = CubeSql(column.name);
      sum.type = "sum";
      sums.push_back(std::move(sum));
      continue;
    }
    DimensionDraft dimension;
    dimension.name = names.Claim(CamelCase(column.name));
    dimension.column = column.name;
    dimension.sql = CubeSql(column.name);
    dimension.type = std::string(ColumnKindName(kind));
    dimension.primary_key = keys.count(column.name) > 0;
    if (dimension.primary_key || LooksLikeDrillColumn(column.name)) {
      count.drill_members.push_back(dimension.name);
    }
    out.dimension_of_column[column.name] = dimension.name;
    draft.dimensions.push_back(std::move(dimension));
  }
  draft.measures.push_back(std::move(count));
  for (MeasureDraft& sum : sums) draft.measures.push_back(std::move(sum));
  if (keys.empty()) {
    draft.notes.push_back(
        "no primary key found: add `primary_key: true` to a unique dimension so that joins "
        "and count do not double-count rows");
  }
  return out;
}

const ScaffoldedTable* FindReferenced(const std::vector<ScaffoldedTable>& all,
                                      const TableSchema& from, const std::string& name) {
  const ScaffoldedTable* other_schema = nullptr;
  for (const ScaffoldedTable& t : all) {
    if (t.table->name != name) continue;
    if (t.table->schema == from.schema) return &t;
    if (other_schema == nullptr) other_schema = &t;
  }
  return other_schema;
}

void AddJoins(ScaffoldedTable& from, const std::vector<ScaffoldedTable>& all,
              const JoinablePredicate& joinable) {
  std::set<std::string> joined;
  for (const ColumnSchema& column : from.table->columns) {
    if (!column.foreign_key) continue;
    const driver::ForeignKey& fk = *column.foreign_key;
    const std::string what = absl::StrCat("foreign key ", column.name, " -> ", fk.table, ".", fk.column);
    const ScaffoldedTable* target = FindReferenced(all, *from.table, fk.table);
    if (target == nullptr) {
      from.draft.notes.push_back(absl::StrCat(what, ": referenced table not found, no join"));
      continue;
    }
    if (target == &from) {
      from.draft.notes.push_back(absl::StrCat(what, ": a cube cannot join itself, no join"));
      continue;
    }
    if (!joinable(*target->table)) {
      from.draft.notes.push_back(absl::StrCat(what, ": cube ", target->draft.name,
                                              " is not in the model yet; generate it and add "
                                              "the join"));
      continue;
    }
    auto member = target->dimension_of_column.find(fk.column);
    if (member == target->dimension_of_column.end()) {
      from.draft.notes.push_back(
          absl::StrCat(what, ": the referenced column is not a dimension, no join"));
      continue;
    }
    if (!joined.insert(target->draft.name).second) {
      // Cube joins two cubes along one path only.
      from.draft.notes.push_back(
          absl::StrCat(what, ": ", from.draft.name, " already joins ", target->draft.name,
                       " through another column, no second join"));
      continue;
    }
    JoinDraft join;
    join.cube = target->draft.name;
    join.relationship = "many_to_one";
    join.sql = absl::StrCat(CubeSql(column.name), " = {", target->draft.name, ".", member->second, "}");
    from.draft.joins.push_back(std::move(join));
  }
}

}  // namespace

std::string TableFileStem(const TableSchema& table) {
  std::string stem = IsDefaultSchema(table) ? table.name : absl::StrCat(table.schema, "_", table.name);
  // Keep the file inside the output folder whatever the table is called.
  for (char& c : stem) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!safe) c = '_';
  }
  return stem.empty() ? "_" : stem;
}

std::string TableDisplayName(const TableSchema& table) {
  return IsDefaultSchema(table) ? table.name : absl::StrCat(table.schema, ".", table.name);
}

std::vector<CubeDraft> ScaffoldCubes(const std::vector<TableSchema>& tables,
                                     const JoinablePredicate& joinable) {
  std::vector<ScaffoldedTable> scaffolded;
  scaffolded.reserve(tables.size());
  std::set<std::string> cube_names;
  for (const TableSchema& table : tables) {
    ScaffoldedTable t = ScaffoldTable(table);
    // Two tables may name the same cube ("line_items" and "LineItems").
    std::string name = t.draft.name;
    for (int i = 2; !cube_names.insert(name).second; ++i) name = absl::StrCat(t.draft.name, i);
    t.draft.name = name;
    scaffolded.push_back(std::move(t));
  }
  for (ScaffoldedTable& t : scaffolded) AddJoins(t, scaffolded, joinable);

  std::vector<CubeDraft> drafts;
  drafts.reserve(scaffolded.size());
  for (ScaffoldedTable& t : scaffolded) drafts.push_back(std::move(t.draft));
  return drafts;
}

}  // namespace tessera::scaffold
