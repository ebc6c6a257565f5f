// PgDataSource::Introspect: tables, columns and keys of every user schema
// (only the configured one when DataSourceConfig::schema is set), for
// `tessera generate-model`.
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "driver/postgres/pg_data_source.h"

namespace tessera::driver {
namespace {

constexpr char kColumnsSql[] =
    "SELECT table_schema, table_name, column_name, data_type, udt_name "
    "FROM information_schema.columns "
    "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
    "AND table_schema NOT LIKE 'pg\\_%' "
    "AND ($1::text = '' OR table_schema::text = $1::text) "
    "ORDER BY table_schema, table_name, ordinal_position";

// One row per column of each primary key and foreign key; for a foreign key
// also the referenced column. pg_catalog rather than information_schema
// because only it pairs the columns of a composite foreign key reliably.
constexpr char kKeysSql[] =
    "SELECT n.nspname, c.relname, a.attname, con.contype, fn.nspname, fc.relname, fa.attname "
    "FROM pg_constraint con "
    "JOIN pg_class c ON c.oid = con.conrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(attnum, fattnum) "
    "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
    "LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
    "LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace "
    "LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum "
    "WHERE con.contype IN ('p', 'f') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_%' "
    "AND ($1::text = '' OR n.nspname::text = $1::text)";

}  // namespace

absl::StatusOr<std::vector<TableSchema>> PgDataSource::Introspect() {
  // $1: the configured schema, or '' for every user schema.
  const sql::Params schema = {sql::Param{sql::Param::Type::kText, schema_}};
  absl::StatusOr<ResultSet> columns = Execute(kColumnsSql, schema);
  if (!columns.ok()) return columns.status();
  absl::StatusOr<ResultSet> keys = Execute(kKeysSql, schema);
  if (!keys.ok()) return keys.status();

  std::vector<TableSchema> tables;
  // (schema, table, column) -> position in `tables`.
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<size_t, size_t>> index;
  for (const auto& row : columns->rows) {
    const std::string schema = row[0].value_or("");
    const std::string table = row[1].value_or("");
    if (tables.empty() || tables.back().schema != schema || tables.back().name != table) {
      tables.push_back(TableSchema{schema, table, {}});
    }
    ColumnSchema column;
    column.name = row[2].value_or("");
    column.sql_type = row[3].value_or("");
    // Enums, domains over them, and arrays: the underlying type name says more.
    if (column.sql_type == "USER-DEFINED" || column.sql_type == "ARRAY") {
      column.sql_type = row[4].value_or(column.sql_type);
    }
    index[{schema, table, column.name}] = {tables.size() - 1, tables.back().columns.size()};
    tables.back().columns.push_back(std::move(column));
  }

  for (const auto& row : keys->rows) {
    const std::string schema = row[0].value_or("");
    auto it = index.find({schema, row[1].value_or(""), row[2].value_or("")});
    if (it == index.end()) continue;  // a table the user may not see
    ColumnSchema& column = tables[it->second.first].columns[it->second.second];
    if (row[3] == "p") {
      column.primary_key = true;
    } else if (row[5].has_value() && row[6].has_value()) {
      const std::string ref_schema = row[4].value_or("");
      // Same schema: the bare name, as the model would reference it.
      std::string ref_table = ref_schema == schema ? *row[5] : absl::StrCat(ref_schema, ".", *row[5]);
      column.foreign_key = ForeignKey{std::move(ref_table), *row[6]};
    }
  }
  return tables;
}

}  // namespace tessera::driver
