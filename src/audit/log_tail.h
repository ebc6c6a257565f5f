#pragma once
// Reads the newest records of an audit log and follows it as it grows
// (`tessera audit tail [-f]`), across rotation: when the server renames the
// active file to audit.log.NNNNNN and creates a new one, the rest of the old
// file is read through the descriptor still open on it, then the new file
// from its start. Lines are returned as written; checking them is the
// caller's job (tail shows what is there, `verify` judges it).
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::audit {

struct LogLine {
  enum class What {
    kLine,        // a complete line (text without its '\n')
    kIncomplete,  // a last line without '\n' in a file the server left
    kTruncated,   // the followed file got shorter: reading restarts at 0
  };
  What what = What::kLine;
  std::string file;
  int64_t line = 0;  // 1-based within `file`
  std::string text;
};

class LogTail {
 public:
  explicit LogTail(std::string active_path);
  ~LogTail();
  LogTail(const LogTail&) = delete;
  LogTail& operator=(const LogTail&) = delete;

  // The last `n` complete lines of the log, oldest first: from the active
  // file and, when it holds fewer, the rotated files before it. Poll then
  // continues after them. An error when there is no log at all.
  absl::StatusOr<std::vector<LogLine>> Last(int64_t n);

  // The lines added since the last call, including those of a file that
  // replaced the active one.
  std::vector<LogLine> Poll();

  // The active file's last line while it has no '\n' (a write in progress,
  // or a file cut short).
  std::optional<LogLine> Partial() const;

 private:
  // Reads the open file from offset_ to its end.
  void ReadNew(std::vector<LogLine>& out);
  bool OpenActive();
  void Close();

  std::string path_;
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  int64_t offset_ = 0;    // bytes read from fd_
  int64_t lines_ = 0;     // complete lines read from fd_
  std::string pending_;   // bytes after the last '\n'
};

}  // namespace tessera::audit
