#pragma once
// PostgreSQL through libpq: a lazily filled, capped pool of read-only
// sessions. Opening the data source does not connect, so the API starts (and
// answers /readyz with 503) while the database is down.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "driver/connection_pool.h"
#include "driver/data_source.h"
#include "driver/postgres/pg_connection.h"

namespace tessera::driver {

class PgDataSource final : public DataSource {
 public:
  static absl::StatusOr<DataSourcePtr> Open(const DataSourceConfig& config);

  std::string_view db_type() const override { return "postgres"; }
  const sql::Dialect& dialect() const override { return *dialect_; }
  absl::StatusOr<ResultSet> Execute(const std::string& sql, const sql::Params& params) override;
  absl::Status Ping() override;
  absl::StatusOr<std::vector<TableSchema>> Introspect() override;

  PgDataSource(PgOptions options, int pool_size);

 private:
  std::unique_ptr<sql::Dialect> dialect_;
  const std::string schema_;  // before pool_: initialised from options before they move
  ConnectionPool<PgConnection> pool_;
};

}  // namespace tessera::driver
