#pragma once
// A database the API reads from: SQLite (embedded) or PostgreSQL (libpq),
// with a pool of connections. Implementations are thread-safe; calls block,
// so the API runs them on worker threads, never on HTTP io threads.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "driver/result_set.h"
#include "sql/dialect.h"
#include "sql/param.h"

namespace tessera::driver {

struct ForeignKey {
  std::string table;   // referenced table
  std::string column;  // referenced column
};

struct ColumnSchema {
  std::string name;
  std::string sql_type;  // as the database names it: "integer", "text", "timestamp", ...
  bool primary_key = false;
  std::optional<ForeignKey> foreign_key;
};

struct TableSchema {
  std::string schema;  // "public" for PostgreSQL, "main" for SQLite
  std::string name;
  std::vector<ColumnSchema> columns;
};

struct DataSourceConfig {
  std::string type = "sqlite";  // CUBEJS_DB_TYPE: sqlite | postgres
  std::string host = "127.0.0.1";
  int port = 5432;
  std::string database;  // CUBEJS_DB_NAME; the file path for SQLite
  std::string user;
  std::string password;
  // PostgreSQL only: the one schema every session searches (search_path), so
  // each tenant's data source sees its own tables under unqualified names.
  // Empty: the server's default search_path. Must match
  // ^[A-Za-z_][A-Za-z0-9_]{0,62}$ (else InvalidArgument); SQLite refuses
  // anything but empty.
  std::string schema;
  int pool_size = 8;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{0};  // 0: none
};

class DataSource {
 public:
  virtual ~DataSource() = default;

  virtual std::string_view db_type() const = 0;  // "sqlite" | "postgres"
  virtual const sql::Dialect& dialect() const = 0;

  // Runs one statement with bound parameters on a pooled connection.
  // Unavailable when the database cannot be reached; Internal for SQL errors.
  virtual absl::StatusOr<ResultSet> Execute(const std::string& sql, const sql::Params& params) = 0;

  // A cheap round trip (SELECT 1) for /readyz.
  virtual absl::Status Ping() = 0;

  // Tables and columns of the database (for `tessera generate-model`).
  virtual absl::StatusOr<std::vector<TableSchema>> Introspect() = 0;
};

using DataSourcePtr = std::shared_ptr<DataSource>;

absl::StatusOr<DataSourcePtr> OpenDataSource(const DataSourceConfig& config);

}  // namespace tessera::driver
