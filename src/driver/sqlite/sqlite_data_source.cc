#include "driver/sqlite/sqlite_data_source.h"

#include <utility>

namespace tessera::driver {
namespace {

// A query on SQLite holds its connection only while it runs; waiting longer
// than this for one means the machine is badly overloaded.
constexpr absl::Duration kPoolWait = absl::Seconds(30);

}  // namespace

SqliteDataSource::SqliteDataSource(SqliteOptions options, int pool_size)
    : dialect_(sql::MakeSqliteDialect()),
      pool_(pool_size, kPoolWait, [options = std::move(options)] {
        return SqliteConnection::Open(options);
      }) {}

absl::StatusOr<DataSourcePtr> SqliteDataSource::Open(const DataSourceConfig& config) {
  if (config.database.empty()) {
    return absl::InvalidArgumentError(
        "SQLite data source needs a database file path (CUBEJS_DB_NAME)");
  }
  if (!config.schema.empty()) {
    // Silently ignoring it would let a tenant that should be confined to a
    // schema see the whole file.
    return absl::InvalidArgumentError(
        "SQLite has no schemas: the data source's schema setting must be empty");
  }
  SqliteOptions options;
  options.path = config.database;
  // How long to wait on a lock held by a writer in another process (the demo
  // generator); the API itself never writes.
  options.busy_timeout = config.connect_timeout;
  options.statement_timeout = config.statement_timeout;
  auto source = std::make_shared<SqliteDataSource>(std::move(options), config.pool_size);
  // The first lease opens (and validates) a connection, then keeps it idle.
  absl::StatusOr<ConnectionPool<SqliteConnection>::Lease> first = source->pool_.Acquire();
  if (!first.ok()) return first.status();
  return source;
}

absl::StatusOr<ResultSet> SqliteDataSource::Execute(const std::string& sql,
                                                    const sql::Params& params) {
  absl::StatusOr<ConnectionPool<SqliteConnection>::Lease> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)->Execute(sql, params);
}

absl::Status SqliteDataSource::Ping() { return Execute("SELECT 1", {}).status(); }

}  // namespace tessera::driver
