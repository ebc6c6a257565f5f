// SqliteDataSource::Introspect: the schema as `tessera generate-model` needs
// it, read through the table-valued PRAGMA functions so that table names are
// bound parameters rather than SQL text.
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "driver/sqlite/sqlite_data_source.h"

namespace tessera::driver {
namespace {

sql::Params NameParam(const std::string& name) {
  return {sql::Param{sql::Param::Type::kText, name}};
}

}  // namespace

absl::StatusOr<std::vector<TableSchema>> SqliteDataSource::Introspect() {
  absl::StatusOr<ConnectionPool<SqliteConnection>::Lease> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  SqliteConnection& db = **conn;

  absl::StatusOr<ResultSet> tables = db.Execute(
      "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      {});
  if (!tables.ok()) return tables.status();

  // Primary-key columns of a table in key order, for foreign keys that name
  // only the referenced table ("REFERENCES customers").
  std::map<std::string, std::vector<std::string>> primary_keys;
  auto primary_key_of = [&](const std::string& table) -> absl::StatusOr<std::vector<std::string>> {
    if (auto it = primary_keys.find(table); it != primary_keys.end()) return it->second;
    absl::StatusOr<ResultSet> rs = db.Execute(
        "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk", NameParam(table));
    if (!rs.ok()) return rs.status();
    std::vector<std::string> names;
    for (const auto& row : rs->rows) names.push_back(row[0].value_or(""));
    primary_keys[table] = names;
    return names;
  };

  std::vector<TableSchema> out;
  for (const auto& table_row : tables->rows) {
    TableSchema table;
    table.schema = "main";
    table.name = table_row[0].value_or("");

    absl::StatusOr<ResultSet> columns = db.Execute(
        "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid", NameParam(table.name));
    if (!columns.ok()) return columns.status();
    for (const auto& row : columns->rows) {
      ColumnSchema column;
      column.name = row[0].value_or("");
      // Declared types are free text in SQLite ("INTEGER", "varchar(20)");
      // lower case matches how PostgreSQL reports its types.
      column.sql_type = absl::AsciiStrToLower(row[1].value_or(""));
      int pk = 0;
      column.primary_key = absl::SimpleAtoi(row[2].value_or("0"), &pk) && pk > 0;
      table.columns.push_back(std::move(column));
    }

    absl::StatusOr<ResultSet> fks = db.Execute(
        "SELECT \"from\", \"table\", \"to\", seq FROM pragma_foreign_key_list(?1)",
        NameParam(table.name));
    if (!fks.ok()) return fks.status();
    for (const auto& row : fks->rows) {
      const std::string from = row[0].value_or("");
      ForeignKey fk{row[1].value_or(""), row[2].value_or("")};
      if (!row[2].has_value()) {
        absl::StatusOr<std::vector<std::string>> pk = primary_key_of(fk.table);
        if (!pk.ok()) return pk.status();
        size_t seq = 0;
        if (!absl::SimpleAtoi(row[3].value_or("0"), &seq) || seq >= pk->size()) continue;
        fk.column = (*pk)[seq];
      }
      for (ColumnSchema& column : table.columns) {
        if (column.name == from) column.foreign_key = fk;
      }
    }
    out.push_back(std::move(table));
  }
  return out;
}

}  // namespace tessera::driver
