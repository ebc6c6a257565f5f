#pragma once
// The PostgreSQL server the driver tests run against, as the project's test
// command (scripts/pg-test-server.sh) describes it in the environment:
//   TESSERA_TEST_PG_PORT  (required; without it the PostgreSQL tests skip)
//   TESSERA_TEST_PG_USER  (default "postgres"), TESSERA_TEST_PG_DB (default "ecom")
#include <libpq-fe.h>

#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "driver/data_source.h"
#include "gtest/gtest.h"

namespace tessera::driver::testing {

inline std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

inline bool HavePgServer() { return std::getenv("TESSERA_TEST_PG_PORT") != nullptr; }

// A direct libpq session for setup and for sabotage (the data source under
// test is read-only).
class AdminConnection {
 public:
  AdminConnection() {
    const std::string port = Env("TESSERA_TEST_PG_PORT", "");
    const std::string user = Env("TESSERA_TEST_PG_USER", "postgres");
    const std::string db = Env("TESSERA_TEST_PG_DB", "ecom");
    const char* keys[] = {"host", "port", "user", "dbname", nullptr};
    const char* values[] = {"127.0.0.1", port.c_str(), user.c_str(), db.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 0);
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    Run("SET client_min_messages = warning");  // no NOTICEs from DROP ... CASCADE
  }
  ~AdminConnection() { PQfinish(conn_); }
  AdminConnection(const AdminConnection&) = delete;
  AdminConnection& operator=(const AdminConnection&) = delete;

  // Runs `sql`; returns the first cell of the first row, if any.
  std::string Run(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(res);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(res) > 0) out = PQgetvalue(res, 0, 0);
    PQclear(res);
    return out;
  }

 private:
  PGconn* conn_;
};

// A data source config for the test server.
inline DataSourceConfig PgConfig(int pool_size = 4) {
  DataSourceConfig config;
  config.type = "postgres";
  config.host = "127.0.0.1";
  absl::SimpleAtoi(Env("TESSERA_TEST_PG_PORT", "0"), &config.port);
  config.user = Env("TESSERA_TEST_PG_USER", "postgres");
  config.database = Env("TESSERA_TEST_PG_DB", "ecom");
  config.pool_size = pool_size;
  return config;
}

}  // namespace tessera::driver::testing
