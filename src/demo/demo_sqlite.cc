// Builds the SQLite demo database by executing the same statements that
// WriteDemoSql prints, into a temporary file that is renamed into place only
// when complete: a reader never sees a half-built database.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "demo/demo_data.h"
#include "demo/demo_sql.h"

namespace tessera::demo {
namespace {

// Owns the connection so every exit path closes it.
class Connection {
 public:
  ~Connection() { sqlite3_close(db_); }
  absl::Status Open(const std::string& path) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                             nullptr);
    if (rc != SQLITE_OK) {
      return absl::UnavailableError(
          absl::StrCat("cannot create SQLite database ", path, ": ", sqlite3_errstr(rc)));
    }
    return absl::OkStatus();
  }
  absl::Status Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      absl::Status status = absl::InternalError(
          absl::StrCat("SQLite: ", message ? message : sqlite3_errmsg(db_), " in: ",
                       sql.substr(0, 120)));
      sqlite3_free(message);
      return status;
    }
    return absl::OkStatus();
  }
  absl::Status Close() {
    int rc = sqlite3_close(db_);
    db_ = nullptr;
    if (rc != SQLITE_OK) return absl::InternalError("SQLite: close failed");
    return absl::OkStatus();
  }

 private:
  sqlite3* db_ = nullptr;
};

absl::Status Build(const std::string& tmp_path, const DemoDataOptions& options) {
  Connection db;
  if (absl::Status s = db.Open(tmp_path); !s.ok()) return s;
  // The file is thrown away on any failure, so durability while building
  // buys nothing; without a journal and fsync the build takes seconds.
  if (absl::Status s = db.Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"); !s.ok()) {
    return s;
  }
  absl::Status status;
  ForEachDemoStatement(options, [&](const std::string& stmt) {
    if (status.ok()) status = db.Exec(stmt);
  });
  if (!status.ok()) return status;
  return db.Close();
}

}  // namespace

absl::Status CreateSqliteDemoDatabase(const std::string& path, const DemoDataOptions& options) {
  if (options.users < 0 || options.products < 0 || options.orders < 0) {
    return absl::InvalidArgumentError("demo data counts must not be negative");
  }
  if (options.orders > 0 && (options.users == 0 || options.products == 0)) {
    return absl::InvalidArgumentError("demo orders need at least one user and one product");
  }
  const std::string tmp_path = absl::StrCat(path, ".tmp-", ::getpid());
  std::error_code ec;
  std::filesystem::remove(tmp_path, ec);
  absl::Status status = Build(tmp_path, options);
  if (status.ok()) {
    // rename(2) replaces an existing database atomically.
    std::filesystem::rename(tmp_path, path, ec);
    if (ec) {
      status = absl::UnavailableError(
          absl::StrCat("cannot move demo database into ", path, ": ", ec.message()));
    }
  }
  if (!status.ok()) std::filesystem::remove(tmp_path, ec);
  return status;
}

}  // namespace tessera::demo
