#pragma once
// The local audit file, the default sink. Records are appended to one active
// file (`audit/audit.log`) with one write and one fdatasync per batch; when
// the file reaches its size or age limit it is renamed to
// `audit.log.<segment number, 6 digits>` and a new one begins. The chain runs
// on across files: a file starts with a `file_start` record and a closed one
// ends with `file_end` (see audit_log.h).
//
// The active file is kept zero-filled ahead of its records (reserve_bytes),
// as PostgreSQL fills a WAL segment before using it: a batch then overwrites
// blocks the file already has, so its fdatasync writes the data and nothing
// else (appending changes the file's size, an inode update of its own on
// every sync). Readers stop at the first NUL byte, which no record contains
// (JSON escapes it). The reserve is extended in the background (ReserveFiller)
// well before the records reach its end, so a batch's sync carries its own
// bytes and not a megabyte of zeros. The reserve is cut off when a file is rotated or closed,
// so only the active file of a running (or crashed) server has one. Written
// pages are dropped from the page cache once they are durable: the log is
// written once and read rarely, and should not crowd out what is.
//
// Open() is where a crash is repaired. A write cut off by a crash leaves an
// incomplete last line, or (since pages reach the disk in any order) a hole
// of zeros with bytes after it: everything from the last complete line
// before the first NUL byte is moved to a side file
// (`torn-<time>-audit.log`) and cut from the log, and recovered() says so, so
// the log can record the repair. Nothing acknowledged is lost by the cut:
// acknowledged bytes were durable, and contain no NUL. A complete last line
// that is not a valid record is not repaired: it may be tampering, and is
// refused.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_sink.h"
#include "audit/reserve_filler.h"

namespace tessera::audit {

struct FileSinkOptions {
  std::string path = "audit/audit.log";
  int64_t rotate_bytes = 64 << 20;    // 0: no size limit
  std::chrono::seconds rotate_age{0};  // 0: no age limit
  // Zero-filled space kept ahead of the records (0: plain appends).
  int64_t reserve_bytes = 1 << 20;
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
  absl::Status Append(absl::Span<const SealedRecord> batch) override;
  absl::Status Rollback() override;
  absl::StatusOr<std::vector<SealedRecord>> RecordsAfter(int64_t seq, size_t limit) override;
  bool WantsRotation() const override;
  absl::Status Rotate() override;
  absl::Status Close() override;

  // The active file has no record yet: the log must write its file_start.
  bool NeedsFileStart() const { return size_ == 0; }
  // The active file's segment number (1 for the first file ever) and the
  // name of the file before it ("" for the first).
  int64_t segment() const { return segment_; }
  std::string previous_file() const;
  const std::optional<TornTail>& recovered() const { return recovered_; }
  void ClearRecovered() { recovered_.reset(); }
  // Open found no active file beside rotated ones. Rotation creates the
  // next file at once, so it was most likely deleted (or the server stopped
  // between the rename and the create): the chain goes on from the newest
  // rotated file. Stays set until cleared, across Opens.
  bool active_was_missing() const { return active_was_missing_; }
  void ClearActiveWasMissing() { active_was_missing_ = false; }
  const std::string& path() const { return options_.path; }

 private:
  std::string SegmentPath(int64_t segment) const;
  // The highest segment number among the rotated files (0: none).
  absl::StatusOr<int64_t> LastRotatedSegment() const;
  // Where the records of the open file end after a crash (the first NUL
  // byte), and where its last non-NUL byte is.
  absl::Status FindRecordsEnd(off_t file_size, off_t* records_end, off_t* used_end);
  // Moves the bytes from the last complete line before `records_end` up to
  // `used_end` aside, and cuts the file there.
  absl::Status CutTornTail(off_t records_end, off_t used_end);
  absl::StatusOr<std::string> ReadLastLine(const std::string& path, off_t size) const;
  // Writes `data` at `offset`, all of it.
  absl::Status WriteAt(std::string_view data, off_t offset);
  // Zero-fills the file from reserved_end_ to at least `needed` plus the
  // reserve.
  absl::Status Reserve(off_t needed);
  // Takes the file back from the filler (before it is truncated, closed or
  // written beyond the durable zeros), keeping what it filled.
  void HaltFiller();
  // Cuts the file to its records (no reserve) and syncs it.
  absl::Status TrimReserve();
  // Drops durable pages behind the records from the page cache.
  void DropWrittenPages();
  void CloseFile();

  FileSinkOptions options_;
  int fd_ = -1;
  off_t size_ = 0;          // bytes of records durably in the active file
  off_t reserved_end_ = 0;  // the file's length: zeros from size_ on
  off_t before_last_ = 0;   // size before the last Append, for Rollback
  off_t dropped_ = 0;       // pages before this are out of the page cache
  int64_t segment_ = 1;
  std::chrono::steady_clock::time_point opened_at_;
  std::optional<TornTail> recovered_;
  bool active_was_missing_ = false;
  std::string batch_bytes_;
  ReserveFiller filler_;
};

}  // namespace tessera::audit
