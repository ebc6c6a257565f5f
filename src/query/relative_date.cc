#include "query/relative_date.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/user_error.h"

namespace tessera::query {
namespace {

// Past this, moment.js produces "Invalid date"; we refuse instead.
constexpr int64_t kMaxCount = 1000000;

// The unit words in the order Cube's regular expressions list them; a unit
// matches as a prefix ("days" matches "day").
constexpr std::array<std::pair<std::string_view, Granularity>, 8> kUnits = {{
    {"day", Granularity::kDay},
    {"week", Granularity::kWeek},
    {"month", Granularity::kMonth},
    {"year", Granularity::kYear},
    {"quarter", Granularity::kQuarter},
    {"hour", Granularity::kHour},
    {"minute", Granularity::kMinute},
    {"second", Granularity::kSecond},
}};

absl::Status CantParse(std::string_view text) {
  return UserError("Can't parse date: '" + std::string(text) + "'");
}

// JavaScript's \s over ASCII.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithAt(std::string_view s, size_t pos, std::string_view word) {
  return pos <= s.size() && s.substr(pos).substr(0, word.size()) == word;
}

// Skips one or more spaces at `pos`; false if there is none.
bool SkipSpaces(std::string_view s, size_t& pos) {
  size_t start = pos;
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  return pos > start;
}

std::optional<Granularity> UnitAt(std::string_view s, size_t pos) {
  for (const auto& [word, unit] : kUnits) {
    if (StartsWithAt(s, pos, word)) return unit;
  }
  return std::nullopt;
}

bool IsSubDay(Granularity g) {
  return g == Granularity::kSecond || g == Granularity::kMinute || g == Granularity::kHour;
}

int64_t UnitSeconds(Granularity g) {
  switch (g) {
    case Granularity::kSecond: return 1;
    case Granularity::kMinute: return 60;
    case Granularity::kHour: return 3600;
    case Granularity::kDay: return 86400;
    case Granularity::kWeek: return 7 * 86400;
    default: return 0;  // calendar units have no fixed length
  }
}

// Wall-clock arithmetic, as moment.js does for days and longer: the time of
// day is kept, and a day of month past the end of the target month is
// clamped (Mar 31 - 1 month = Feb 29).
absl::CivilSecond AddCivil(absl::CivilSecond t, Granularity g, int64_t n) {
  int64_t months = 0;
  switch (g) {
    case Granularity::kMonth: months = n; break;
    case Granularity::kQuarter: months = 3 * n; break;
    case Granularity::kYear: months = 12 * n; break;
    default: return t + UnitSeconds(g) * n;
  }
  absl::CivilMonth month = absl::CivilMonth(t) + months;
  int last_day = static_cast<int>(absl::CivilDay(month + 1) - absl::CivilDay(month));
  int day = t.day() < last_day ? t.day() : last_day;
  return absl::CivilSecond(month.year(), month.month(), day, t.hour(), t.minute(), t.second());
}

// "now" in the zone's wall clock.
struct Clock {
  absl::Time now;
  absl::TimeZone zone;

  LocalTime Local(absl::Time t) const {
    int64_t ms = absl::ToUnixMillis(t) % 1000;
    if (ms < 0) ms += 1000;
    return LocalTime{absl::ToCivilSecond(t, zone), static_cast<int>(ms)};
  }
  LocalTime Now() const { return Local(now); }

  // moment.js moves a wall-clock time that falls in a DST gap forward by the
  // gap (02:30 on a spring-forward night becomes 03:30).
  LocalTime Normalized(LocalTime t) const {
    const absl::TimeZone::TimeInfo info = zone.At(t.civil);
    t.civil = absl::ToCivilSecond(info.pre, zone);
    return t;
  }

  // moment().add(n, unit): hours and shorter move the instant (so "last 3
  // hours" spans three real hours across a DST change), longer units move
  // the wall clock.
  LocalTime Shift(Granularity g, int64_t n) const {
    if (IsSubDay(g)) return Local(now + absl::Seconds(UnitSeconds(g) * n));
    LocalTime t = Now();
    t.civil = AddCivil(t.civil, g, n);
    return Normalized(t);
  }
};

LocalTime StartOf(const LocalTime& t, Granularity g) { return LocalTime{Truncate(t.civil, g), 0}; }

LocalTime EndOf(const LocalTime& t, Granularity g) {
  absl::CivilSecond next = AddCivil(Truncate(t.civil, g), g, 1);
  return LocalTime{next - 1, 999};
}

bool InRange(const LocalTime& t) { return t.civil.year() >= 1 && t.civil.year() <= 9999; }

// Rule 1: "(this|last|next)\s+<unit>", leftmost.
struct UnitPhrase {
  int shift;  // -1, 0, +1
  Granularity unit;
};
std::optional<UnitPhrase> FindUnitPhrase(std::string_view s) {
  static constexpr std::pair<std::string_view, int> kWords[] = {
      {"this", 0}, {"last", -1}, {"next", 1}};
  for (size_t i = 0; i < s.size(); ++i) {
    for (const auto& [word, shift] : kWords) {
      if (!StartsWithAt(s, i, word)) continue;
      size_t pos = i + word.size();
      if (!SkipSpaces(s, pos)) continue;
      if (auto unit = UnitAt(s, pos)) return UnitPhrase{shift, *unit};
    }
  }
  return std::nullopt;
}

// Rule 2: "(last|next)\s+(\d+)\s+<unit>", leftmost.
struct CountPhrase {
  bool last;
  std::string_view digits;
  Granularity unit;
};
std::optional<CountPhrase> FindCountPhrase(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    bool last = StartsWithAt(s, i, "last");
    if (!last && !StartsWithAt(s, i, "next")) continue;
    size_t pos = i + 4;
    if (!SkipSpaces(s, pos)) continue;
    size_t digits_start = pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos == digits_start) continue;
    std::string_view digits = s.substr(digits_start, pos - digits_start);
    if (!SkipSpaces(s, pos)) continue;
    if (auto unit = UnitAt(s, pos)) return CountPhrase{last, digits, *unit};
  }
  return std::nullopt;
}

std::optional<int64_t> ParseCount(std::string_view digits) {
  int64_t n = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > kMaxCount) return std::nullopt;
  }
  return n;
}

// A count in a chrono-style phrase: digits, "a"/"an", or a small word.
std::optional<int64_t> ParseCountWord(std::string_view word) {
  static constexpr std::string_view kWords[] = {"zero", "one", "two",   "three", "four",
                                                "five", "six", "seven", "eight", "nine",
                                                "ten",  "eleven", "twelve"};
  if (word == "a" || word == "an") return 1;
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (word == kWords[i]) return static_cast<int64_t>(i);
  }
  if (word.empty() || word.size() > 7) return std::nullopt;
  return ParseCount(word);
}

// A unit word as chrono accepts it in "3 days ago": singular or plural.
std::optional<Granularity> ParseUnitWord(std::string_view word) {
  if (word.size() > 1 && word.back() == 's') word.remove_suffix(1);
  for (const auto& [name, unit] : kUnits) {
    if (word == name) return unit;
  }
  return std::nullopt;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    size_t start = pos;
    while (pos < s.size() && !IsSpace(s[pos])) ++pos;
    if (pos > start) words.push_back(s.substr(start, pos - start));
  }
  return words;
}

// "3 days ago", "in 3 days", "3 days from now", "3 days later".
std::optional<LocalTime> ParseRelativePoint(std::string_view text, const Clock& clock) {
  std::vector<std::string_view> w = Words(text);
  std::optional<int64_t> count;
  std::optional<Granularity> unit;
  int sign = 0;
  if (w.size() == 3 && w[2] == "ago") {
    count = ParseCountWord(w[0]), unit = ParseUnitWord(w[1]), sign = -1;
  } else if (w.size() == 3 && w[0] == "in") {
    count = ParseCountWord(w[1]), unit = ParseUnitWord(w[2]), sign = 1;
  } else if (w.size() == 4 && w[2] == "from" && w[3] == "now") {
    count = ParseCountWord(w[0]), unit = ParseUnitWord(w[1]), sign = 1;
  } else if (w.size() == 3 && w[2] == "later") {
    count = ParseCountWord(w[0]), unit = ParseUnitWord(w[1]), sign = 1;
  }
  if (!count || !unit) return std::nullopt;
  // chrono works on the wall clock for every unit (Cube hands it a Date
  // built from the local time), unlike rule 2's moment arithmetic.
  LocalTime t = clock.Now();
  t.civil = AddCivil(t.civil, *unit, sign * *count);
  return clock.Normalized(t);
}

std::optional<LocalTime> ParsePoint(std::string_view text, const Clock& clock) {
  if (text == "now" || text == "today") return clock.Now();
  if (text == "tomorrow" || text == "yesterday") {
    LocalTime t = clock.Now();
    t.civil = AddCivil(t.civil, Granularity::kDay, text == "tomorrow" ? 1 : -1);
    return clock.Normalized(t);
  }
  // Lower-casing turned a "T" separator or "Z" suffix into lower case.
  std::string iso(text);
  for (char& c : iso) {
    if (c == 't' || c == 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (auto t = ParseLocalTime(iso, clock.zone); t.ok()) return clock.Normalized(*t);
  return ParseRelativePoint(text, clock);
}

// Cube widens a point to the second, minute or hour when the text mentions
// one, else to the day.
Granularity PointUnit(std::string_view s) {
  if (s.find("second") != std::string_view::npos) return Granularity::kSecond;
  if (s.find("minute") != std::string_view::npos) return Granularity::kMinute;
  if (s.find("hour") != std::string_view::npos) return Granularity::kHour;
  return Granularity::kDay;
}

// `^from (.*) to (.*)$` (no line breaks), split as Cube splits it: the
// longest `from` part of at most 50 characters followed by "to" and at most
// 50 more.
struct FromTo {
  std::string_view from, to;
};
std::optional<FromTo> MatchFromTo(std::string_view s, bool& too_long) {
  too_long = false;
  if (!StartsWithAt(s, 0, "from ")) return std::nullopt;
  if (s.find_first_of("\n\r") != std::string_view::npos) return std::nullopt;
  if (s.find(" to ", 5) == std::string_view::npos) return std::nullopt;
  size_t max_from = s.size() - 4 < 50 ? s.size() - 4 : 50;
  for (size_t len = max_from + 1; len-- > 0;) {
    size_t to_pos = 4 + len;
    if (!StartsWithAt(s, to_pos, "to")) continue;
    if (s.size() - (to_pos + 2) > 50) continue;
    return FromTo{Trim(s.substr(4, len)), Trim(s.substr(to_pos + 2))};
  }
  too_long = true;
  return std::nullopt;
}

absl::StatusOr<DateRange> Checked(DateRange range, std::string_view text) {
  if (!InRange(range.from) || !InRange(range.to)) return CantParse(text);
  return range;
}

}  // namespace

absl::StatusOr<DateRange> ParseDateRangeText(std::string_view text, const absl::TimeZone& zone,
                                             absl::Time now) {
  const std::string s = Lower(text);
  const Clock clock{now, zone};

  if (auto phrase = FindUnitPhrase(s)) {
    LocalTime t = clock.Shift(phrase->unit, phrase->shift);
    return Checked({StartOf(t, phrase->unit), EndOf(t, phrase->unit)}, s);
  }
  if (auto phrase = FindCountPhrase(s)) {
    std::optional<int64_t> n = ParseCount(phrase->digits);
    if (!n) return CantParse(s);
    LocalTime from = phrase->last ? clock.Shift(phrase->unit, -*n) : clock.Shift(phrase->unit, 1);
    LocalTime to = phrase->last ? clock.Shift(phrase->unit, -1) : clock.Shift(phrase->unit, *n);
    return Checked({StartOf(from, phrase->unit), EndOf(to, phrase->unit)}, s);
  }
  for (auto [word, days] : {std::pair<std::string_view, int>{"today", 0}, {"yesterday", -1},
                            {"tomorrow", 1}}) {
    if (s.find(word) == std::string::npos) continue;
    LocalTime t = clock.Now();
    t.civil = AddCivil(t.civil, Granularity::kDay, days);
    return Checked({StartOf(t, Granularity::kDay), EndOf(t, Granularity::kDay)}, s);
  }
  const Granularity unit = PointUnit(s);
  bool too_long = false;
  if (auto from_to = MatchFromTo(s, too_long)) {
    std::optional<LocalTime> from = ParsePoint(from_to->from, clock);
    if (!from) return CantParse(from_to->from);
    std::optional<LocalTime> to = ParsePoint(from_to->to, clock);
    if (!to) return CantParse(from_to->to);
    return Checked({StartOf(*from, unit), EndOf(*to, unit)}, s);
  }
  if (too_long) return CantParse(s);
  std::optional<LocalTime> point = ParsePoint(Trim(s), clock);
  if (!point) return CantParse(s);
  return Checked({StartOf(*point, unit), EndOf(*point, unit)}, s);
}

}  // namespace tessera::query
