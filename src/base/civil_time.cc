#include "base/civil_time.h"

#include <cctype>
#include <cstdio>
#include <map>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/absl_compat.h"

namespace tessera {
namespace {

constexpr std::pair<std::string_view, Granularity> kGranularities[] = {
    {"second", Granularity::kSecond}, {"minute", Granularity::kMinute},
    {"hour", Granularity::kHour},     {"day", Granularity::kDay},
    {"week", Granularity::kWeek},     {"month", Granularity::kMonth},
    {"quarter", Granularity::kQuarter}, {"year", Granularity::kYear},
};

// Reads exactly `n` digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

absl::Status BadDate(std::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat("Can't parse date: '", AsAbsl(text), "'"));
}

}  // namespace

absl::StatusOr<Granularity> ParseGranularity(std::string_view name) {
  for (const auto& [n, g] : kGranularities) {
    if (n == name) return g;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "Invalid granularity '", AsAbsl(name),
      "': must be one of second, minute, hour, day, week, month, quarter, year"));
}

std::string_view GranularityName(Granularity g) {
  for (const auto& [n, gg] : kGranularities) {
    if (gg == g) return n;
  }
  return "day";
}

absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name) {
  // cctz reads zone files from disk; loading is slow enough to cache, and the
  // set of names is bounded because only names that load are kept.
  static std::mutex mu;
  static std::map<std::string, absl::TimeZone, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  // Reject anything that is not shaped like a zone name before touching the
  // filesystem: no "..", no absolute paths.
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      name.find("..") != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid timezone: ", AsAbsl(name)));
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
          c == '-' || c == '+')) {
      return absl::InvalidArgumentError(absl::StrCat("Invalid timezone: ", AsAbsl(name)));
    }
  }
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(name), &tz)) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid timezone: ", AsAbsl(name)));
  }
  cache.emplace(std::string(name), tz);
  return tz;
}

bool IsBareDate(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

absl::StatusOr<LocalTime> ParseLocalTime(std::string_view text, const absl::TimeZone& zone) {
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!ReadDigits(text, pos, 4, y) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, mo) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, pos, 2, d)) {
    return BadDate(text);
  }
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    if (!ReadDigits(text, pos, 2, h) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, pos, 2, mi)) {
      return BadDate(text);
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, pos, 2, s)) return BadDate(text);
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        // Up to nanoseconds accepted; milliseconds kept.
        size_t start = pos;
        int scale = 100;
        while (pos < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[pos]))) {
          if (scale > 0) ms += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
        }
        if (pos == start || pos - start > 9) return BadDate(text);
      }
    }
  }
  // Range checks before constructing civil times (which would normalise 13 -> next year).
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return BadDate(text);
  absl::CivilSecond civil(y, mo, d, h, mi, s);
  if (civil.day() != d || civil.month() != mo) return BadDate(text);  // Feb 30 and friends

  if (pos == text.size()) return LocalTime{civil, ms};

  // A zone suffix: the text names an absolute instant.
  int offset_seconds = 0;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    offset_seconds = 0;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!ReadDigits(text, pos, 2, oh)) return BadDate(text);
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (pos < text.size() && !ReadDigits(text, pos, 2, om)) return BadDate(text);
    if (pos != text.size() || oh > 23 || om > 59) return BadDate(text);
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return BadDate(text);
  }
  absl::Time instant = absl::FromCivil(civil, absl::UTCTimeZone()) - absl::Seconds(offset_seconds);
  return LocalTime{absl::ToCivilSecond(instant, zone), ms};
}

std::string FormatLocal(const LocalTime& t) {
  const auto& c = t.civil;
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03d", c.year(), c.month(), c.day(),
                         c.hour(), c.minute(), c.second(), t.millis);
}

namespace {
absl::CivilSecond ToUtcCivil(const LocalTime& t, const absl::TimeZone& zone) {
  // For a local time that occurs twice (DST fall-back) take the earlier
  // instant, and for one that does not exist (spring-forward gap) the
  // instant just after the gap: cctz's `pre` and `trans` give those.
  absl::TimeZone::TimeInfo info = zone.At(t.civil);
  absl::Time instant = info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
  return absl::ToCivilSecond(instant, absl::UTCTimeZone());
}
}  // namespace

std::string FormatUtcInstant(const LocalTime& t, const absl::TimeZone& zone) {
  absl::CivilSecond u = ToUtcCivil(t, zone);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", u.year(), u.month(), u.day(),
                         u.hour(), u.minute(), u.second(), t.millis);
}

std::string FormatUtcSql(const LocalTime& t, const absl::TimeZone& zone) {
  absl::CivilSecond u = ToUtcCivil(t, zone);
  return absl::StrFormat("%04d-%02d-%02d %02d:%02d:%02d.%03d", u.year(), u.month(), u.day(),
                         u.hour(), u.minute(), u.second(), t.millis);
}

absl::CivilSecond Truncate(absl::CivilSecond t, Granularity g) {
  switch (g) {
    case Granularity::kSecond:
      return t;
    case Granularity::kMinute:
      return absl::CivilMinute(t);
    case Granularity::kHour:
      return absl::CivilHour(t);
    case Granularity::kDay:
      return absl::CivilDay(t);
    case Granularity::kWeek: {
      absl::CivilDay day(t);
      // absl::Weekday: monday=0 ... sunday=6.
      int since_monday = static_cast<int>(absl::GetWeekday(day));
      return day - since_monday;
    }
    case Granularity::kMonth:
      return absl::CivilMonth(t);
    case Granularity::kQuarter: {
      absl::CivilMonth m(t);
      return absl::CivilMonth(m.year(), ((m.month() - 1) / 3) * 3 + 1);
    }
    case Granularity::kYear:
      return absl::CivilYear(t);
  }
  return t;
}

}  // namespace tessera
