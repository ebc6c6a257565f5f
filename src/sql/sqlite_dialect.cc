#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"
#include "sql/dialect.h"

namespace tessera::sql {
namespace {

// SQLite has no time-zone database, so bucketing calls tessera_bucket(), a
// function the SQLite driver registers on every connection (see
// driver/sqlite). Timestamps are stored as UTC text "YYYY-MM-DD HH:MM:SS".
class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }

  std::string Placeholder(int index) const override { return absl::StrCat("?", index); }

  std::string TimeBucket(std::string_view expr, Granularity g,
                         std::string_view tz_placeholder) const override {
    return absl::StrCat("tessera_bucket(", AsAbsl(expr), ", '", AsAbsl(GranularityName(g)), "', ",
                        AsAbsl(tz_placeholder), ")");
  }

  std::string TimestampParam(std::string_view placeholder) const override {
    return std::string(placeholder);
  }

  std::string TimestampValue(const absl::CivilSecond& u, int millis,
                             bool lower_bound) const override {
    std::string s = absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d", u.year(), u.month(), u.day(),
                                    u.hour(), u.minute(), u.second());
    if (!(lower_bound && millis == 0)) absl::StrAppendFormat(&s, ".%03d", millis);
    return s;
  }

  std::string ContainsMatch(std::string_view expr, std::string_view placeholder,
                            bool prefix_wildcard, bool suffix_wildcard) const override {
    // LIKE in SQLite is case-insensitive for ASCII, like ILIKE.
    return absl::StrCat(AsAbsl(expr), " LIKE ", prefix_wildcard ? "'%' || " : "",
                        AsAbsl(placeholder), suffix_wildcard ? " || '%'" : "", " ESCAPE '\\'");
  }

  std::string CountDistinctApprox(std::string_view expr) const override {
    return absl::StrCat("count(distinct ", AsAbsl(expr), ")");
  }
};

}  // namespace

std::unique_ptr<Dialect> MakeSqliteDialect() { return std::make_unique<SqliteDialect>(); }

}  // namespace tessera::sql
