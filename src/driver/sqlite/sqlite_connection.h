#pragma once
// One read-only SQLite connection with a cache of prepared statements. Not
// thread-safe: the pool hands it to one caller at a time.
#include <sqlite3.h>

#include <chrono>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "driver/result_set.h"
#include "sql/param.h"

namespace tessera::driver {

struct SqliteOptions {
  std::string path;
  std::chrono::milliseconds busy_timeout{5000};
  std::chrono::milliseconds statement_timeout{0};  // 0: none
  size_t statement_cache_size = 64;
};

class SqliteConnection {
 public:
  // Opens `options.path` read-only. Unavailable when the file is missing or
  // is not a SQLite database.
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const SqliteOptions& options);

  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one statement; placeholders "?1".."?N" take params[0..N-1].
  absl::StatusOr<ResultSet> Execute(const std::string& sql, const sql::Params& params);

  size_t cached_statements() const { return statements_.size(); }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt;
    std::list<std::string>::iterator lru_position;
  };

  SqliteConnection(sqlite3* db, SqliteOptions options);
  absl::StatusOr<sqlite3_stmt*> Prepare(const std::string& sql);
  absl::Status Bind(sqlite3_stmt* stmt, const sql::Params& params);
  absl::Status Error(std::string_view what, const sql::Params& params) const;
  // Progress handler: interrupts a statement that runs past its deadline.
  static int CheckDeadline(void* self);

  sqlite3* db_;
  SqliteOptions options_;
  // Keyed by SQL text; the list keeps keys from most to least recently used.
  std::unordered_map<std::string, CachedStatement> statements_;
  std::list<std::string> lru_;
  std::chrono::steady_clock::time_point deadline_{};
};

}  // namespace tessera::driver
