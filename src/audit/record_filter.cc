#include "audit/record_filter.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

bool MemberEquals(const OpenedRecord& record, std::string_view name, const std::string& wanted) {
  const boost::json::value* v = record.fields.if_contains(boost::json::string_view(name.data(), name.size()));
  return v != nullptr && v->is_string() && v->as_string() == boost::json::string_view(wanted);
}

bool IsDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<absl::Time> ParseFilterTime(std::string_view text) {
  const absl::string_view input(text.data(), text.size());
  absl::Time t;
  std::string error;
  // absl::ParseTime skips surrounding spaces; the exact shapes are checked
  // here so that "2026-12-05 junk" is not half-read.
  if (IsDate(text)) {
    if (absl::ParseTime("%Y-%m-%d", input, absl::UTCTimeZone(), &t, &error)) return t;
  } else if (text.size() > 19 && (text[10] == 'T' || text[10] == 't')) {
    // A time without a zone would silently mean UTC or local time; people
    // mean different things, so it must be explicit.
    char last = text.back();
    bool has_zone = last == 'Z' || last == 'z' || (text.size() >= 25 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') &&
                                    text[text.size() - 3] == ':');
    if (has_zone && absl::ParseTime(absl::RFC3339_full, input, absl::UTCTimeZone(), &t, &error)) return t;
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid time \"", input,
                                                 "\": expected 2026-12-05, 2026-12-05T14:00:00Z or "
                                                 "2026-12-05T14:00:00+01:00 (seconds may have a fraction)"));
}

std::optional<absl::Time> RecordTimeOf(const OpenedRecord& record) {
  const boost::json::value* v = record.fields.if_contains("time");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  absl::Time t;
  std::string error;
  const boost::json::string& s = v->as_string();
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(s.data(), s.size()), absl::UTCTimeZone(), &t, &error)) {
    return std::nullopt;
  }
  return t;
}

bool RecordFilter::Matches(const OpenedRecord& record) const {
  if (subject && !MemberEquals(record, "subject", *subject)) return false;
  if (tenant && !MemberEquals(record, "tenant", *tenant)) return false;
  if (outcome && !MemberEquals(record, "outcome", *outcome)) return false;
  if (kind && !MemberEquals(record, "kind", *kind)) return false;
  if (since || until) {
    std::optional<absl::Time> t = RecordTimeOf(record);
    if (!t) return false;
    if (since && *t < *since) return false;
    if (until && *t >= *until) return false;
  }
  return true;
}

}  // namespace tessera::audit
