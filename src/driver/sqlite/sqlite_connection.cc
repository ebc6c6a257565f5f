#include "driver/sqlite/sqlite_connection.h"

#include <sys/stat.h>

#include <charconv>
#include <cmath>
#include <string_view>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "driver/redact.h"
#include "driver/sqlite/sqlite_time_functions.h"

namespace tessera::driver {
namespace {

// Shortest text that reads back as the same double ("0.1", not SQLite's own
// 15-digit "0.1" that loses bits for values like 0.1 + 0.2). Whole numbers
// keep a ".0" so a REAL still looks like one, as SQLite prints it.
std::string FormatReal(double v) {
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string out(buf, ec == std::errc() ? end : buf);
  if (out.find_first_of(".en") == std::string::npos) out += ".0";
  return out;
}

// Finalizes nothing; resets the statement and drops its bindings so that a
// cached statement never holds the previous caller's values.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Statement authorizer, consulted while a statement is prepared: an allow-list
// of what a read needs. Everything else (writes, schema changes, ATTACH,
// transactions, setting a PRAGMA such as query_only) is refused, even though
// the READONLY open flag would stop most of it already.
int AuthorizeReadOnly(void*, int action, const char* arg1, const char* arg2, const char*,
                      const char*) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_PRAGMA: {
      // "PRAGMA x" reads a setting, "PRAGMA x = v" (arg2 = v) may change it;
      // the schema pragmas take a table name as their argument and only read.
      if (arg2 == nullptr) return SQLITE_OK;
      const std::string_view pragma = arg1 != nullptr ? arg1 : "";
      return pragma == "table_info" || pragma == "table_xinfo" || pragma == "foreign_key_list" ||
                     pragma == "index_list" || pragma == "index_info" || pragma == "index_xinfo"
                 ? SQLITE_OK
                 : SQLITE_DENY;
    }
    case SQLITE_UPDATE:
      // Table-valued PRAGMA functions (pragma_table_info) are virtual tables
      // whose setup asks for UPDATE on the schema table. No statement can
      // actually write it: the connection is READONLY and DEFENSIVE.
      return arg1 != nullptr && std::string_view(arg1) == "sqlite_master" ? SQLITE_OK
                                                                          : SQLITE_DENY;
    default:
      return SQLITE_DENY;
  }
}

bool OnlyWhitespaceOrSemicolons(const char* p) {
  for (; *p != '\0'; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != ';') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const SqliteOptions& options) {
  struct stat st;
  if (::stat(options.path.c_str(), &st) != 0) {
    return absl::UnavailableError(absl::StrCat("database unavailable: SQLite database file '",
                                               options.path, "' does not exist"));
  }
  sqlite3* db = nullptr;
  // READONLY: the API never writes, so a bug or an injected statement cannot
  // either. NOMUTEX: the pool already guarantees one thread per connection.
  // No SQLITE_OPEN_URI: the path is a path, never "file:...?options".
  int rc = sqlite3_open_v2(options.path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return absl::UnavailableError(absl::StrCat("database unavailable: cannot open SQLite database '",
                                               options.path, "': ", message));
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, options));

  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  // Defense in depth beyond READONLY: no ATTACH of other files, no writes to
  // TEMP tables, no schema-corrupting PRAGMAs.
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  char* err = nullptr;
  if (sqlite3_exec(db, "PRAGMA query_only = ON", nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return absl::UnavailableError(absl::StrCat("database unavailable: SQLite database '",
                                               options.path, "': ", message));
  }
  if (absl::Status s = RegisterTimeFunctions(db); !s.ok()) return s;
  sqlite3_set_authorizer(db, &AuthorizeReadOnly, nullptr);
  if (options.statement_timeout.count() > 0) {
    sqlite3_progress_handler(db, 1000, &SqliteConnection::CheckDeadline, conn.get());
  }
  // Opening is lazy in SQLite: read the schema now so that a file that is not
  // a database fails here, at startup, rather than on the first query.
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err) !=
      SQLITE_OK) {
    std::string message = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    return absl::UnavailableError(absl::StrCat("database unavailable: SQLite database '",
                                               options.path, "': ", message));
  }
  return conn;
}

SqliteConnection::SqliteConnection(sqlite3* db, SqliteOptions options)
    : db_(db), options_(std::move(options)) {}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

int SqliteConnection::CheckDeadline(void* self) {
  auto* conn = static_cast<SqliteConnection*>(self);
  return std::chrono::steady_clock::now() > conn->deadline_ ? 1 : 0;
}

absl::Status SqliteConnection::Error(std::string_view what, const sql::Params& params) const {
  return absl::InternalError(
      absl::StrCat(AsAbsl(what), ": ", RedactParams(sqlite3_errmsg(db_), params)));
}

absl::StatusOr<sqlite3_stmt*> SqliteConnection::Prepare(const std::string& sql) {
  if (auto it = statements_.find(sql); it != statements_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru_position);
    return it->second.stmt;
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  // PERSISTENT: the statement lives in the cache for a long time.
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()) + 1,
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return Error("SQL error", {});
  if (stmt == nullptr) return absl::InternalError("SQL error: empty statement");
  // One statement per call: a second one would run unseen by the caller.
  if (tail != nullptr && !OnlyWhitespaceOrSemicolons(tail)) {
    sqlite3_finalize(stmt);
    return absl::InternalError("SQL error: more than one statement");
  }
  if (!sqlite3_stmt_readonly(stmt)) {
    sqlite3_finalize(stmt);
    return absl::InternalError("SQL error: statement would modify the database (read-only)");
  }
  lru_.push_front(sql);
  statements_.emplace(sql, CachedStatement{stmt, lru_.begin()});
  if (statements_.size() > options_.statement_cache_size) {
    auto victim = statements_.find(lru_.back());
    sqlite3_finalize(victim->second.stmt);
    statements_.erase(victim);
    lru_.pop_back();
  }
  return stmt;
}

absl::Status SqliteConnection::Bind(sqlite3_stmt* stmt, const sql::Params& params) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<size_t>(expected) != params.size()) {
    // An unbound placeholder would silently read as NULL: refuse instead.
    return absl::InternalError(absl::StrCat("SQL error: statement has ", expected,
                                            " parameters but ", params.size(), " were bound"));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const sql::Param& p = params[i];
    const int index = static_cast<int>(i) + 1;
    int rc = SQLITE_OK;
    switch (p.type) {
      case sql::Param::Type::kText:
      case sql::Param::Type::kTimestamp:
        rc = sqlite3_bind_text(stmt, index, p.text.data(), static_cast<int>(p.text.size()),
                               SQLITE_STATIC);
        break;
      case sql::Param::Type::kInteger: {
        int64_t v;
        if (!absl::SimpleAtoi(p.text, &v)) {
          return absl::InternalError(absl::StrCat("parameter ", index, " is not an integer"));
        }
        rc = sqlite3_bind_int64(stmt, index, v);
        break;
      }
      case sql::Param::Type::kReal: {
        double v;
        if (!absl::SimpleAtod(p.text, &v)) {
          return absl::InternalError(absl::StrCat("parameter ", index, " is not a number"));
        }
        rc = sqlite3_bind_double(stmt, index, v);
        break;
      }
      case sql::Param::Type::kNull:
        rc = sqlite3_bind_null(stmt, index);
        break;
    }
    if (rc != SQLITE_OK) return Error(absl::StrCat("binding parameter ", index), params);
  }
  return absl::OkStatus();
}

absl::StatusOr<ResultSet> SqliteConnection::Execute(const std::string& sql,
                                                    const sql::Params& params) {
  absl::StatusOr<sqlite3_stmt*> prepared = Prepare(sql);
  if (!prepared.ok()) return prepared.status();
  sqlite3_stmt* stmt = *prepared;
  // SQLITE_STATIC bindings point into `params`, which outlives this call;
  // the guard clears them before returning.
  ResetOnExit reset(stmt);
  if (absl::Status s = Bind(stmt, params); !s.ok()) return s;

  ResultSet result;
  const int columns = sqlite3_column_count(stmt);
  result.column_names.reserve(columns);
  for (int c = 0; c < columns; ++c) {
    const char* name = sqlite3_column_name(stmt, c);
    result.column_names.emplace_back(name != nullptr ? name : "");
  }

  deadline_ = std::chrono::steady_clock::now() + options_.statement_timeout;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Cell>& row = result.rows.emplace_back();
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          row.emplace_back(std::nullopt);
          break;
        case SQLITE_FLOAT:
          row.emplace_back(FormatReal(sqlite3_column_double(stmt, c)));
          break;
        default: {
          // Integers come back as their decimal text; text and blobs as is.
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          const int size = sqlite3_column_bytes(stmt, c);
          row.emplace_back(std::string(text != nullptr ? text : "", size));
        }
      }
    }
  }
  if (rc != SQLITE_DONE) {
    if ((rc & 0xff) == SQLITE_INTERRUPT && options_.statement_timeout.count() > 0) {
      return absl::DeadlineExceededError(
          absl::StrCat("statement timeout: query ran longer than ",
                       options_.statement_timeout.count(), " ms"));
    }
    return Error("SQL error", params);
  }
  return result;
}

}  // namespace tessera::driver
