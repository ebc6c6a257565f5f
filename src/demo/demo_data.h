#pragma once
// A deterministic e-commerce data set (users, products, orders with statuses,
// amounts, tenant ids and two years of timestamps) for the demo and the tests.
// The same seed gives byte-identical SQL, for SQLite and PostgreSQL alike.
#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"

namespace tessera::demo {

struct DemoDataOptions {
  int64_t orders = 100000;
  int64_t users = 5000;
  int64_t products = 500;
  uint64_t seed = 20240101;
};

// Writes CREATE TABLE statements and batched INSERTs that run unchanged on
// SQLite 3 and PostgreSQL 15 (schema "public" is not named, so both accept it).
void WriteDemoSql(const DemoDataOptions& options, std::ostream& out);

// Creates (or replaces) a SQLite database file holding the demo data.
absl::Status CreateSqliteDemoDatabase(const std::string& path, const DemoDataOptions& options);

}  // namespace tessera::demo
