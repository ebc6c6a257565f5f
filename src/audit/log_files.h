#pragma once
// Finds the files of one audit log on disk. The server writes to the active
// file (audit/audit.log) and, when it rotates, renames it to the next
// numbered sibling (audit/audit.log.000001, .000002, …: a larger number is a
// newer file), so the whole log, oldest first, is the numbered siblings in
// number order followed by the active file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::audit {

// The rotated siblings of `active_path` in number order, then the active
// file itself if it exists. An error when there is neither.
absl::StatusOr<std::vector<std::string>> ListLogFiles(const std::string& active_path);

// The seq a record line claims in its fixed head `{"seq":N,`, read without
// checking the rest of the line, so that files can be put in chain order
// (and failures can name a seq) before their records are verified.
std::optional<int64_t> ClaimedSeq(std::string_view line);

// A log file and the seq its first line claims (none when the file is empty
// or its first line has no readable head).
struct LogFileHead {
  std::string path;
  std::optional<int64_t> first_seq;
  bool empty = false;
};

// Reads the first line of each file; an error names a file that cannot be
// read. The result is in chain order: files by their first seq (ties keep
// the given order), then those whose first seq is unknown, as given.
absl::StatusOr<std::vector<LogFileHead>> ReadInChainOrder(const std::vector<std::string>& files);

}  // namespace tessera::audit
