#pragma once
// One libpq connection. Not thread-safe: the pool hands it to one caller at a
// time.
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "driver/result_set.h"
#include "sql/param.h"

namespace tessera::driver {

struct PgOptions {
  std::string host = "127.0.0.1";
  int port = 5432;
  std::string database;
  std::string user;
  std::string password;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{0};  // 0: none
  std::string application_name = "tessera";
  std::string schema;  // the session's whole search_path; empty: server default
};

// OK for "" and for names matching ^[A-Za-z_][A-Za-z0-9_]{0,62}$; otherwise
// InvalidArgument saying what is wrong (without echoing the name, which may
// come from a token claim). The name ends up inside libpq's `options`
// string, where spaces and backslashes separate and escape settings, and in
// search_path, where commas and quotes add schemas: a plain identifier can
// do neither.
absl::Status CheckSchemaName(std::string_view schema);

class PgConnection {
 public:
  // Unavailable ("database unavailable: ...", never the password) when the
  // server cannot be reached or refuses the login.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(const PgOptions& options);

  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one statement with text parameters ($1..$N take params[0..N-1]).
  // Internal for SQL errors, DeadlineExceeded when statement_timeout fired,
  // Unavailable when the connection broke (then reusable() is false).
  absl::StatusOr<ResultSet> Execute(const std::string& sql, const sql::Params& params);

  // False once the connection is dead or left inside a transaction block:
  // such a connection must be closed, not returned to the pool.
  bool reusable() const;

  int backend_pid() const { return PQbackendPID(conn_); }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
};

}  // namespace tessera::driver
