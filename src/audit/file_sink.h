#pragma once
// The local audit file, the default sink. Records are appended to one active
// file (`audit/audit.log`) with one write and one fdatasync per batch; when
// the file reaches its size or age limit it is renamed to
// `audit.log.<segment number, 6 digits>` and a new one begins. The chain runs
// on across files: a file starts with a `file_start` record and a closed one
// ends with `file_end` (see audit_log.h).
//
// Open() is where a crash is repaired. A write cut off by a crash leaves an
// incomplete last line: those bytes are moved to a side file
// (`torn-<time>-audit.log`) and cut from the log, and recovered() says so, so
// the log can record the repair. A complete last line that is not a valid
// record is not repaired: it may be tampering, and is refused.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_sink.h"

namespace tessera::audit {

struct FileSinkOptions {
  std::string path = "audit/audit.log";
  int64_t rotate_bytes = 64 << 20;    // 0: no size limit
  std::chrono::seconds rotate_age{0};  // 0: no age limit
};

// What Open() repaired: a torn last line moved aside.
struct TornTail {
  int64_t bytes = 0;
  std::string moved_to;
};

class FileSink final : public AuditSink {
 public:
  explicit FileSink(FileSinkOptions options);
  ~FileSink() override;

  std::string Describe() const override;
  absl::StatusOr<ChainPoint> Open() override;
  absl::Status Append(const std::vector<SealedRecord>& batch) override;
  absl::Status Rollback() override;
  absl::StatusOr<std::vector<SealedRecord>> RecordsAfter(int64_t seq, size_t limit) override;
  bool WantsRotation() const override;
  absl::Status Rotate() override;

  // The active file has no record yet: the log must write its file_start.
  bool NeedsFileStart() const { return size_ == 0; }
  // The active file's segment number (1 for the first file ever) and the
  // name of the file before it ("" for the first).
  int64_t segment() const { return segment_; }
  std::string previous_file() const;
  const std::optional<TornTail>& recovered() const { return recovered_; }
  void ClearRecovered() { recovered_.reset(); }
  const std::string& path() const { return options_.path; }

 private:
  std::string SegmentPath(int64_t segment) const;
  // The highest segment number among the rotated files (0: none).
  absl::StatusOr<int64_t> LastRotatedSegment() const;
  absl::Status CutTornTail();
  absl::StatusOr<std::string> ReadLastLine(const std::string& path, off_t size) const;
  void CloseFile();

  FileSinkOptions options_;
  int fd_ = -1;
  off_t size_ = 0;         // bytes durably in the active file
  off_t before_last_ = 0;  // size before the last Append, for Rollback
  int64_t segment_ = 1;
  std::chrono::steady_clock::time_point opened_at_;
  std::optional<TornTail> recovered_;
};

}  // namespace tessera::audit
