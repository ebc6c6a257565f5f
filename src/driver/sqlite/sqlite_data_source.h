#pragma once
// The embedded database: a SQLite file opened read-only through a small pool
// of connections (a sqlite3 handle serves one thread at a time).
#include <memory>

#include "absl/status/statusor.h"
#include "driver/connection_pool.h"
#include "driver/data_source.h"
#include "driver/sqlite/sqlite_connection.h"

namespace tessera::driver {

class SqliteDataSource final : public DataSource {
 public:
  // Opens one connection eagerly so that a missing or corrupt file fails at
  // startup (Unavailable) rather than on the first request.
  static absl::StatusOr<DataSourcePtr> Open(const DataSourceConfig& config);

  std::string_view db_type() const override { return "sqlite"; }
  const sql::Dialect& dialect() const override { return *dialect_; }
  absl::StatusOr<ResultSet> Execute(const std::string& sql, const sql::Params& params) override;
  absl::Status Ping() override;
  absl::StatusOr<std::vector<TableSchema>> Introspect() override;

  SqliteDataSource(SqliteOptions options, int pool_size);

 private:
  std::unique_ptr<sql::Dialect> dialect_;
  ConnectionPool<SqliteConnection> pool_;
};

}  // namespace tessera::driver
