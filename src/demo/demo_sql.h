#pragma once
// The demo data set as a sequence of SQL statements (BEGIN, DROP/CREATE
// TABLE, batched INSERTs, CREATE INDEX, COMMIT), each valid for both SQLite 3
// and PostgreSQL 15. WriteDemoSql prints them; CreateSqliteDemoDatabase
// executes them, so the SQL text and the SQLite file always hold the same data.
#include <string>

#include "absl/functional/function_ref.h"
#include "demo/demo_data.h"

namespace tessera::demo {

// Rows per INSERT statement.
inline constexpr size_t kRowsPerInsert = 500;

// Calls `emit` once per statement, in order; each ends with ';'.
void ForEachDemoStatement(const DemoDataOptions& options,
                          absl::FunctionRef<void(const std::string&)> emit);

}  // namespace tessera::demo
