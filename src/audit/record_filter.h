#pragma once
// Which records `tessera audit search` prints: every given criterion must
// hold. A record without the member asked about (a "start" record has no
// subject) does not match.
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/chain.h"

namespace tessera::audit {

struct RecordFilter {
  std::optional<std::string> subject;
  std::optional<std::string> tenant;
  std::optional<std::string> outcome;  // allowed, denied, invalid, error
  std::optional<std::string> kind;     // request, start, file_start, …
  std::optional<absl::Time> since;     // records at or after
  std::optional<absl::Time> until;     // records before

  bool Matches(const OpenedRecord& record) const;
};

// A time bound as people type it: 2026-12-05 (midnight UTC),
// 2026-12-05T14:00:00Z or 2026-12-05T14:00:00+01:00, seconds optionally
// with a fraction.
absl::StatusOr<absl::Time> ParseFilterTime(std::string_view text);

// The `time` member of a record (2026-12-05T14:00:00.123456Z).
std::optional<absl::Time> RecordTimeOf(const OpenedRecord& record);

}  // namespace tessera::audit
