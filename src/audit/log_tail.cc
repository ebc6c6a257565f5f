#include "audit/log_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "audit/log_files.h"

namespace tessera::audit {
namespace {

constexpr size_t kChunk = 64 * 1024;

// Splits `data` into complete lines appended to `out` (as lines numbered
// after `*lines`), keeping the bytes after the last '\n' in `pending`.
template <typename Sink>
void SplitLines(std::string& pending, const char* data, size_t size, int64_t* lines, Sink&& sink) {
  size_t at = 0;
  while (at < size) {
    const void* nl = std::memchr(data + at, '\n', size - at);
    if (nl == nullptr) {
      pending.append(data + at, size - at);
      return;
    }
    size_t end = static_cast<size_t>(static_cast<const char*>(nl) - data);
    pending.append(data + at, end - at);
    sink(++*lines, std::move(pending));
    pending.clear();
    at = end + 1;
  }
}

// How many of the `size` bytes read are records: those before the first NUL
// byte, where the file sink's unused space begins (file_sink.h).
size_t RecordBytes(const char* data, size_t size) {
  const void* nul = std::memchr(data, '\0', size);
  return nul == nullptr ? size : static_cast<size_t>(static_cast<const char*>(nul) - data);
}

// Reads `fd` up to the end of its records, keeping the last `keep` complete
// lines.
absl::Status ReadLastLines(int fd, const std::string& name, size_t keep, std::deque<LogLine>& out,
                           std::string& pending, int64_t* lines, int64_t* offset) {
  char buffer[kChunk];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::UnavailableError(absl::StrCat("cannot read ", name, ": ", std::strerror(errno)));
    if (n == 0) return absl::OkStatus();
    size_t records = RecordBytes(buffer, static_cast<size_t>(n));
    *offset += static_cast<int64_t>(records);
    SplitLines(pending, buffer, records, lines, [&](int64_t number, std::string text) {
      if (keep == 0) return;
      if (out.size() == keep) out.pop_front();
      out.push_back(LogLine{LogLine::What::kLine, name, number, std::move(text)});
    });
    if (records < static_cast<size_t>(n)) return absl::OkStatus();
  }
}

}  // namespace

LogTail::LogTail(std::string active_path) : path_(std::move(active_path)) {}

LogTail::~LogTail() { Close(); }

void LogTail::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  offset_ = 0;
  lines_ = 0;
  pending_.clear();
}

bool LogTail::OpenActive() {
  Close();
  fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return false;
  struct stat st;
  if (fstat(fd_, &st) != 0) {
    Close();
    return false;
  }
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return true;
}

absl::StatusOr<std::vector<LogLine>> LogTail::Last(int64_t n) {
  const size_t want = n > 0 ? static_cast<size_t>(n) : 0;
  // Open the active file before listing the rotated ones: if the server
  // rotates in between, the renamed file is recognised below by its inode
  // and not read twice, and Poll finds the new active file.
  OpenActive();
  absl::StatusOr<std::vector<std::string>> files = ListLogFiles(path_);
  if (!files.ok() && fd_ < 0) return files.status();
  std::deque<LogLine> newest;
  if (fd_ >= 0) {
    absl::Status read = ReadLastLines(fd_, path_, want, newest, pending_, &lines_, &offset_);
    if (!read.ok()) return read;
  }
  // Older files, newest first, until `n` lines are found.
  std::vector<std::string> rotated = files.ok() ? *files : std::vector<std::string>{};
  if (!rotated.empty() && rotated.back() == path_) rotated.pop_back();
  for (auto it = rotated.rbegin(); it != rotated.rend() && newest.size() < want; ++it) {
    int fd = open(it->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot read ", *it, ": ", std::strerror(errno)));
    struct stat st;
    bool same = fd_ >= 0 && fstat(fd, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
    std::deque<LogLine> older;
    std::string partial;
    int64_t lines = 0, offset = 0;
    absl::Status read = same ? absl::OkStatus() : ReadLastLines(fd, *it, want - newest.size(), older, partial, &lines, &offset);
    close(fd);
    if (!read.ok()) return read;
    if (!partial.empty()) {
      older.push_back(LogLine{LogLine::What::kIncomplete, *it, lines + 1, std::move(partial)});
    }
    newest.insert(newest.begin(), older.begin(), older.end());
  }
  return std::vector<LogLine>(newest.begin(), newest.end());
}

void LogTail::ReadNew(std::vector<LogLine>& out) {
  struct stat st;
  if (fstat(fd_, &st) == 0 && st.st_size < offset_) {
    // Cut short under us: whatever is there now is new.
    out.push_back(LogLine{LogLine::What::kTruncated, path_, lines_, ""});
    offset_ = 0;
    lines_ = 0;
    pending_.clear();
  }
  char buffer[kChunk];
  for (;;) {
    ssize_t n = pread(fd_, buffer, sizeof buffer, offset_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    // Up to the unused space: the next poll reads on from there.
    size_t records = RecordBytes(buffer, static_cast<size_t>(n));
    offset_ += static_cast<int64_t>(records);
    SplitLines(pending_, buffer, records, &lines_, [&](int64_t number, std::string text) {
      out.push_back(LogLine{LogLine::What::kLine, path_, number, std::move(text)});
    });
    if (records < static_cast<size_t>(n)) return;
  }
}

std::vector<LogLine> LogTail::Poll() {
  std::vector<LogLine> out;
  struct stat st;
  const bool exists = stat(path_.c_str(), &st) == 0;
  const bool replaced = fd_ < 0 || !exists || st.st_dev != dev_ || st.st_ino != ino_;
  if (fd_ >= 0) {
    // Read what was written to the file we follow; if it was renamed away,
    // the server finished it before the rename, so this is all of it.
    ReadNew(out);
    if (replaced) {
      if (!pending_.empty()) out.push_back(LogLine{LogLine::What::kIncomplete, path_, lines_ + 1, pending_});
      Close();
    }
  }
  if (fd_ < 0 && exists && OpenActive()) ReadNew(out);
  return out;
}

std::optional<LogLine> LogTail::Partial() const {
  if (pending_.empty()) return std::nullopt;
  return LogLine{LogLine::What::kIncomplete, path_, lines_ + 1, pending_};
}

}  // namespace tessera::audit
