#pragma once
// One libpq session for the PostgreSQL audit sink (pg_sink.h). The driver's
// PgConnection is read-only by design and takes structured options; the
// audit table needs a writable session opened from an operator's connection
// string, with durable commits, so it has this small session of its own.
//
// The connection string holds a password: no message built here quotes it.
// It is parsed once by libpq, its password values are remembered only to be
// cut out of libpq's messages, and a string libpq cannot parse is reported
// without repeating any of it.
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace tessera::audit {

struct PgSessionSettings {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{10000};  // 0: none
};

struct PgResult {
  std::vector<std::vector<std::string>> rows;  // text cells; NULL reads as ""
  std::string command;                         // the command tag: "COMMIT", "INSERT 0 3", ...
};

// OK when libpq can parse `conninfo` (keyword/value or postgresql:// URL);
// otherwise InvalidArgument that does not quote it.
absl::Status CheckConnInfo(const std::string& conninfo);

class PgAuditSession {
 public:
  // Unavailable ("PostgreSQL audit table unavailable: ...") when the server
  // cannot be reached or refuses the login. The session commits
  // synchronously whatever the server's or the role's default, so that an
  // acknowledged COMMIT is on disk.
  static absl::StatusOr<std::unique_ptr<PgAuditSession>> Connect(const std::string& conninfo,
                                                                 const PgSessionSettings& settings);
  ~PgAuditSession();
  PgAuditSession(const PgAuditSession&) = delete;
  PgAuditSession& operator=(const PgAuditSession&) = delete;

  // One statement, text parameters $1..$N. Errors:
  //   Unavailable       the connection broke (healthy() is false afterwards)
  //   AlreadyExists     unique violation (SQLSTATE 23505)
  //   PermissionDenied  insufficient privilege (42501)
  //   DeadlineExceeded  statement_timeout fired (57014)
  //   Internal          any other SQL error, with its SQLSTATE
  // Messages hold the server's primary message only: DETAIL lines quote row
  // values (audit records), which belong in the table, not in logs.
  absl::StatusOr<PgResult> Exec(const std::string& sql, const std::vector<std::string>& params = {});

  // Connected and outside any transaction block.
  bool healthy() const;
  int server_version() const { return PQserverVersion(conn_); }

 private:
  PgAuditSession(PGconn* conn, std::vector<std::string> secrets)
      : conn_(conn), secrets_(std::move(secrets)) {}
  std::string Redact(std::string_view message) const;

  PGconn* conn_;
  std::vector<std::string> secrets_;  // password values from the connection string
};

}  // namespace tessera::audit
