#include "driver/sqlite/sqlite_time_functions.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/civil_time.h"

namespace tessera::driver {
namespace {

// An instant split into whole UTC seconds and milliseconds.
struct Instant {
  absl::Time seconds;
  int millis = 0;
};

// sqlite3_value_text must run before sqlite3_value_bytes (the text may be
// converted on first access), so the two calls are sequenced here.
std::string_view ValueText(sqlite3_value* value) {
  const auto* data = reinterpret_cast<const char*>(sqlite3_value_text(value));
  const int size = sqlite3_value_bytes(value);
  return data == nullptr ? std::string_view() : std::string_view(data, static_cast<size_t>(size));
}

void Fail(sqlite3_context* ctx, std::string_view function, std::string_view what) {
  // Messages name the argument, never its value: values may be user data.
  std::string message = absl::StrCat(
      absl::string_view(function.data(), function.size()), ": ",
      absl::string_view(what.data(), what.size()));
  sqlite3_result_error(ctx, message.data(), static_cast<int>(message.size()));
}

// False (with an error already reported) when `value` is not an instant.
bool ReadInstant(sqlite3_context* ctx, const char* function, sqlite3_value* value, Instant& out) {
  switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
      out.seconds = absl::FromUnixSeconds(sqlite3_value_int64(value));
      out.millis = 0;
      return true;
    case SQLITE_FLOAT: {
      const double v = sqlite3_value_double(value);
      // Beyond ±10^11 s (year ~5000) cctz arithmetic still works, but such a
      // value is a unit mistake (milliseconds passed as seconds).
      if (!std::isfinite(v) || std::fabs(v) > 1e11) {
        Fail(ctx, function, "epoch seconds out of range (argument 1)");
        return false;
      }
      // Nearest millisecond: 1234567890.123 is stored as ...0.12299999 and
      // must still read as .123.
      const int64_t millis = std::llround(v * 1000.0);
      const int64_t secs = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000);
      out.seconds = absl::FromUnixSeconds(secs);
      out.millis = static_cast<int>(millis - secs * 1000);
      return true;
    }
    case SQLITE_TEXT: {
      std::string_view text = ValueText(value);
      // Without a suffix the text is UTC wall-clock time; with "Z" or an
      // offset it is converted to UTC. Either way `local` is UTC.
      absl::StatusOr<LocalTime> local = ParseLocalTime(text, absl::UTCTimeZone());
      if (!local.ok()) {
        Fail(ctx, function,
             "cannot parse timestamp (argument 1): expected 'YYYY-MM-DD[ HH:MM[:SS[.fff]]]' "
             "in UTC or Unix epoch seconds");
        return false;
      }
      out.seconds = absl::FromCivil(local->civil, absl::UTCTimeZone());
      out.millis = local->millis;
      return true;
    }
    default:
      Fail(ctx, function, "timestamp (argument 1) must be text or a number");
      return false;
  }
}

void DeleteZone(void* zone) { delete static_cast<absl::TimeZone*>(zone); }

// The zone named by argument `arg`. SQLite keeps auxiliary data for as long
// as the argument stays the same (a literal or a bound parameter: the whole
// statement), so the name is looked up once per statement, not once per row.
const absl::TimeZone* ReadZone(sqlite3_context* ctx, const char* function, sqlite3_value** argv,
                               int arg) {
  if (auto* cached = static_cast<const absl::TimeZone*>(sqlite3_get_auxdata(ctx, arg))) {
    return cached;
  }
  if (sqlite3_value_type(argv[arg]) != SQLITE_TEXT) {
    Fail(ctx, function, absl::StrCat("time zone (argument ", arg + 1, ") must be text"));
    return nullptr;
  }
  std::string_view name = ValueText(argv[arg]);
  absl::StatusOr<absl::TimeZone> zone = LoadZone(name);
  if (!zone.ok()) {
    Fail(ctx, function, absl::StrCat("unknown time zone (argument ", arg + 1, ")"));
    return nullptr;
  }
  auto* owned = new absl::TimeZone(*zone);
  // sqlite3_set_auxdata may destroy `owned` immediately (out of memory or a
  // non-constant argument), so read it back rather than trusting the pointer.
  sqlite3_set_auxdata(ctx, arg, owned, &DeleteZone);
  if (auto* kept = static_cast<const absl::TimeZone*>(sqlite3_get_auxdata(ctx, arg))) return kept;
  // Not retained: fall back to LoadZone's own (mutex-guarded) cache per call.
  static thread_local absl::TimeZone fallback;
  fallback = *zone;
  return &fallback;
}

void PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// FormatLocal's "YYYY-MM-DDTHH:MM:SS.mmm", written into a stack buffer: this
// runs once per row, and the general formatter plus a heap string cost more
// than the time-zone arithmetic. The test checks both agree.
void ResultLocal(sqlite3_context* ctx, const LocalTime& t) {
  const absl::CivilSecond& c = t.civil;
  if (c.year() < 0 || c.year() > 9999) {
    std::string text = FormatLocal(t);
    sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return;
  }
  char buf[23];
  PutDigits(buf, c.year(), 4);
  buf[4] = '-';
  PutDigits(buf + 5, c.month(), 2);
  buf[7] = '-';
  PutDigits(buf + 8, c.day(), 2);
  buf[10] = 'T';
  PutDigits(buf + 11, c.hour(), 2);
  buf[13] = ':';
  PutDigits(buf + 14, c.minute(), 2);
  buf[16] = ':';
  PutDigits(buf + 17, c.second(), 2);
  buf[19] = '.';
  PutDigits(buf + 20, t.millis, 3);
  sqlite3_result_text(ctx, buf, sizeof buf, SQLITE_TRANSIENT);
}

void Bucket(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  constexpr const char* kName = "tessera_bucket";
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  if (sqlite3_value_type(argv[1]) != SQLITE_TEXT) {
    Fail(ctx, kName, "granularity (argument 2) must be text");
    return;
  }
  std::string_view g_name = ValueText(argv[1]);
  absl::StatusOr<Granularity> g = ParseGranularity(g_name);
  if (!g.ok()) {
    Fail(ctx, kName,
         "unknown granularity (argument 2): expected second, minute, hour, day, week, month, "
         "quarter or year");
    return;
  }
  const absl::TimeZone* zone = ReadZone(ctx, kName, argv, 2);
  if (zone == nullptr) return;
  Instant instant;
  if (!ReadInstant(ctx, kName, argv[0], instant)) return;
  absl::CivilSecond local = absl::ToCivilSecond(instant.seconds, *zone);
  ResultLocal(ctx, LocalTime{Truncate(local, *g), 0});
}

void Local(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  constexpr const char* kName = "tessera_local";
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const absl::TimeZone* zone = ReadZone(ctx, kName, argv, 1);
  if (zone == nullptr) return;
  Instant instant;
  if (!ReadInstant(ctx, kName, argv[0], instant)) return;
  // Zone offsets are whole seconds, so the milliseconds carry over unchanged.
  ResultLocal(ctx, LocalTime{absl::ToCivilSecond(instant.seconds, *zone), instant.millis});
}

}  // namespace

absl::Status RegisterTimeFunctions(sqlite3* db) {
  // DETERMINISTIC lets SQLite evaluate them once per distinct argument list in
  // GROUP BY / ORDER BY; INNOCUOUS allows them in views and indexes.
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  struct Def {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  for (const Def& def : {Def{"tessera_bucket", 3, &Bucket}, Def{"tessera_local", 2, &Local}}) {
    int rc = sqlite3_create_function_v2(db, def.name, def.args, kFlags, nullptr, def.fn, nullptr,
                                        nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return absl::InternalError(
          absl::StrCat("registering SQLite function ", def.name, ": ", sqlite3_errmsg(db)));
    }
  }
  return absl::OkStatus();
}

}  // namespace tessera::driver
