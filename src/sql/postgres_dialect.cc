#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"
#include "sql/dialect.h"

namespace tessera::sql {
namespace {

// PostgreSQL, as Cube generates it: timestamps are converted to the query's
// zone with AT TIME ZONE and truncated with date_trunc (ISO weeks, quarters).
// The driver pins each session's TimeZone to UTC so that timestamp columns
// without a zone are read as UTC, as Cube assumes.
class PostgresDialect final : public Dialect {
 public:
  std::string_view name() const override { return "postgres"; }

  std::string Placeholder(int index) const override { return absl::StrCat("$", index); }

  std::string TimeBucket(std::string_view expr, Granularity g,
                         std::string_view tz_placeholder) const override {
    return absl::StrCat("date_trunc('", AsAbsl(GranularityName(g)), "', (", AsAbsl(expr),
                        "::timestamptz AT TIME ZONE ", AsAbsl(tz_placeholder), "))");
  }

  std::string TimestampParam(std::string_view placeholder) const override {
    return absl::StrCat(AsAbsl(placeholder), "::timestamptz");
  }

  std::string TimestampValue(const absl::CivilSecond& u, int millis, bool) const override {
    return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", u.year(), u.month(), u.day(),
                           u.hour(), u.minute(), u.second(), millis);
  }

  std::string ContainsMatch(std::string_view expr, std::string_view placeholder,
                            bool prefix_wildcard, bool suffix_wildcard) const override {
    // Backslash is PostgreSQL's default LIKE escape; the compiler escapes
    // % and _ in values so they match literally.
    return absl::StrCat(AsAbsl(expr), " ILIKE ", prefix_wildcard ? "'%' || " : "",
                        AsAbsl(placeholder), suffix_wildcard ? " || '%'" : "");
  }

  std::string CountDistinctApprox(std::string_view expr) const override {
    return absl::StrCat("count(distinct ", AsAbsl(expr), ")");
  }
};

}  // namespace

std::unique_ptr<Dialect> MakePostgresDialect() { return std::make_unique<PostgresDialect>(); }

}  // namespace tessera::sql
