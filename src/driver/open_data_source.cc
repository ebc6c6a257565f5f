#include "absl/strings/str_cat.h"
#include "driver/data_source.h"
#include "driver/postgres/pg_data_source.h"
#include "driver/sqlite/sqlite_data_source.h"

namespace tessera::driver {

absl::StatusOr<DataSourcePtr> OpenDataSource(const DataSourceConfig& config) {
  if (config.type == "sqlite") return SqliteDataSource::Open(config);
  if (config.type == "postgres") return PgDataSource::Open(config);
  return absl::InvalidArgumentError(absl::StrCat("Unsupported database type '", config.type,
                                                 "' (CUBEJS_DB_TYPE): supported types are "
                                                 "sqlite and postgres"));
}

}  // namespace tessera::driver
