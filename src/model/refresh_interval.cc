#include "model/refresh_interval.h"

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tessera::model {

absl::StatusOr<int64_t> ParseRefreshInterval(absl::string_view every) {
  static constexpr std::array<std::pair<absl::string_view, int64_t>, 5> kUnits = {{
      {"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 604800}}};
  const auto invalid = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid refresh_key interval '", every,
        "': expected '<number> <second|minute|hour|day|week>[s]', e.g. '1 hour'"));
  };
  const size_t space = every.find(' ');
  if (space == absl::string_view::npos || space == 0) return invalid();
  const absl::string_view digits = every.substr(0, space);
  absl::string_view unit = every.substr(space + 1);
  // Nine digits keep n * seconds-per-week far inside int64.
  if (digits.size() > 9) return invalid();
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return invalid();
  }
  int64_t n = 0;
  if (!absl::SimpleAtoi(digits, &n)) return invalid();
  if (!unit.empty() && unit.back() == 's') unit.remove_suffix(1);
  for (const auto& [name, seconds] : kUnits) {
    if (name != unit) continue;
    if (n == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid refresh_key interval '", every, "': must be positive"));
    }
    return n * seconds;
  }
  return invalid();
}

}  // namespace tessera::model
