#pragma once
// What differs between SQL databases, as seen by the compiler: identifier
// quoting, placeholders, and time bucketing in a time zone.
#include <memory>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "base/civil_time.h"

namespace tessera::sql {

class Dialect {
 public:
  virtual ~Dialect() = default;

  virtual std::string_view name() const = 0;  // "sqlite" | "postgres"

  // "orders" -> "\"orders\"" (doubling embedded quotes).
  std::string QuoteIdentifier(std::string_view id) const;

  // The placeholder for the 1-based parameter `index`: "?" (SQLite numbers
  // them as ?NNN) or "$3" (PostgreSQL).
  virtual std::string Placeholder(int index) const = 0;

  // SQL for the start of the `g` bucket of timestamp expression `expr`, in
  // the zone named by placeholder `tz_placeholder`, as a local timestamp.
  virtual std::string TimeBucket(std::string_view expr, Granularity g,
                                 std::string_view tz_placeholder) const = 0;

  // A timestamp expression compared against a bound UTC timestamp parameter:
  // wraps the placeholder in the cast the dialect needs.
  virtual std::string TimestampParam(std::string_view placeholder) const = 0;

  // The text of a bound UTC instant in the form the database compares
  // correctly with its stored timestamps. `lower_bound` matters for SQLite,
  // whose timestamps are text: "2024-01-01 00:00:00" sorts before
  // "2024-01-01 00:00:00.000", so a whole-second lower bound omits ".000".
  virtual std::string TimestampValue(const absl::CivilSecond& utc, int millis,
                                     bool lower_bound) const = 0;

  // Case-insensitive "contains" pattern match: `expr` LIKE '%' || p || '%'.
  virtual std::string ContainsMatch(std::string_view expr, std::string_view placeholder,
                                    bool prefix_wildcard, bool suffix_wildcard) const = 0;

  // Approximate distinct count (Cube uses HyperLogLog where the database has it;
  // exact COUNT(DISTINCT) is a correct answer for both databases here).
  virtual std::string CountDistinctApprox(std::string_view expr) const = 0;
};

std::unique_ptr<Dialect> MakeSqliteDialect();
std::unique_ptr<Dialect> MakePostgresDialect();

}  // namespace tessera::sql
