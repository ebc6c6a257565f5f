#include "driver/postgres/pg_data_source.h"

#include <algorithm>
#include <utility>

namespace tessera::driver {
namespace {

// How long a caller waits for a pooled connection when all are busy: long
// enough for a slow statement to finish, short enough that an overloaded
// server turns into 503s rather than a pile-up of blocked workers.
absl::Duration PoolWait(const PgOptions& options) {
  return std::max(absl::Seconds(30), absl::FromChrono(options.statement_timeout) +
                                         absl::FromChrono(options.connect_timeout));
}

}  // namespace

PgDataSource::PgDataSource(PgOptions options, int pool_size)
    : dialect_(sql::MakePostgresDialect()),
      schema_(options.schema),
      pool_(pool_size, PoolWait(options),
            [options = std::move(options)] { return PgConnection::Connect(options); }) {}

absl::StatusOr<DataSourcePtr> PgDataSource::Open(const DataSourceConfig& config) {
  if (config.database.empty()) {
    return absl::InvalidArgumentError(
        "PostgreSQL data source needs a database name (CUBEJS_DB_NAME)");
  }
  if (absl::Status s = CheckSchemaName(config.schema); !s.ok()) return s;
  PgOptions options;
  options.host = config.host;
  options.port = config.port;
  options.database = config.database;
  options.user = config.user;
  options.password = config.password;
  options.connect_timeout = config.connect_timeout;
  options.statement_timeout = config.statement_timeout;
  options.schema = config.schema;
  return std::make_shared<PgDataSource>(std::move(options), config.pool_size);
}

absl::StatusOr<ResultSet> PgDataSource::Execute(const std::string& sql,
                                                const sql::Params& params) {
  // A pooled connection may have died while idle (server restarted, backend
  // terminated); that only shows when it is used. Then the statement runs
  // once more on a fresh connection: it is a read in a read-only session, so
  // repeating it is harmless.
  absl::Status last;
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<ConnectionPool<PgConnection>::Lease> conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    absl::StatusOr<ResultSet> result = (*conn)->Execute(sql, params);
    if ((*conn)->reusable()) return result;
    conn->Discard();
    if (result.ok()) return result;  // e.g. a statement that left a transaction open
    // Its idle siblings most likely died the same way.
    pool_.DiscardIdle();
    last = result.status();
    if (!absl::IsUnavailable(last)) return last;
  }
  return last;
}

absl::Status PgDataSource::Ping() { return Execute("SELECT 1", {}).status(); }

}  // namespace tessera::driver
