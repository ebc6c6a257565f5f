#include "audit/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tessera::audit {
namespace {

namespace fs = std::filesystem;

// Longest record the sink reads back (a record holds at most a capped query).
constexpr off_t kMaxLineBytes = 16 << 20;

std::string Errno(int err) { return std::strerror(err); }

absl::Status IoError(std::string_view what, const std::string& path, int err) {
  return absl::UnavailableError(absl::StrCat("cannot ", std::string(what), " the audit file ", path, ": ", Errno(err)));
}

// Makes a rename or a new file in `dir` durable.
absl::Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("open the folder of", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("sync the folder of", dir, err);
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadRange(int fd, off_t from, off_t to, const std::string& path) {
  std::string out(static_cast<size_t>(to - from), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done, from + static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("read", path, errno);
    }
    if (n == 0) return absl::DataLossError(absl::StrCat("the audit file ", path, " shrank while it was read"));
    done += static_cast<size_t>(n);
  }
  return out;
}

// Reading [0, end) backwards in chunks: the offset just past the last byte
// that `find_last` finds in a chunk (npos: none there), or 0 when there is
// none within `max_back` bytes of `end`.
absl::StatusOr<off_t> AfterLast(int fd, const std::string& path, off_t end, off_t max_back,
                                const std::function<size_t(const std::string&)>& find_last) {
  for (off_t from = end; from > 0;) {
    off_t chunk_start = std::max<off_t>(0, from - (64 << 10));
    absl::StatusOr<std::string> chunk = ReadRange(fd, chunk_start, from, path);
    if (!chunk.ok()) return chunk.status();
    size_t at = find_last(*chunk);
    if (at != std::string::npos) return chunk_start + static_cast<off_t>(at) + 1;
    if (end - chunk_start > max_back) break;
    from = chunk_start;
  }
  return 0;
}

// The seq a sealed line starts with ({"seq":N,...), or -1.
int64_t LeadingSeq(std::string_view line) {
  constexpr std::string_view kHead = "{\"seq\":";
  if (line.substr(0, kHead.size()) != kHead) return -1;
  int64_t seq = 0;
  size_t i = kHead.size();
  if (i >= line.size() || line[i] < '0' || line[i] > '9') return -1;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && seq < (int64_t{1} << 58); ++i) seq = seq * 10 + (line[i] - '0');
  return seq;
}

}  // namespace

FileSink::FileSink(FileSinkOptions options) : options_(std::move(options)) {}

FileSink::~FileSink() { (void)Close(); }

absl::Status FileSink::Close() {
  // A clean stop leaves the file without its reserve; if this fails, the
  // next Open() finds where the records end all the same.
  absl::Status trimmed = TrimReserve();
  CloseFile();
  return trimmed;
}

void FileSink::HaltFiller() { reserved_end_ = std::max(reserved_end_, filler_.Halt()); }

void FileSink::CloseFile() {
  HaltFiller();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  reserved_end_ = size_;
}

std::string FileSink::Describe() const { return absl::StrCat("file ", options_.path); }

std::string FileSink::SegmentPath(int64_t segment) const { return absl::StrFormat("%s.%06d", options_.path, segment); }

std::string FileSink::previous_file() const {
  if (segment_ <= 1) return "";
  return fs::path(SegmentPath(segment_ - 1)).filename().string();
}

absl::StatusOr<int64_t> FileSink::LastRotatedSegment() const {
  fs::path active(options_.path);
  fs::path dir = active.has_parent_path() ? active.parent_path() : fs::path(".");
  std::string prefix = active.filename().string() + ".";
  std::error_code ec;
  int64_t last = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() < prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view digits(name);
    digits.remove_prefix(prefix.size());
    // Only audit.log.<digits> is a rotated file.
    if (digits.empty() || digits.size() > 12 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      continue;
    }
    int64_t n = 0;
    for (char c : digits) n = n * 10 + (c - '0');
    last = std::max(last, n);
  }
  if (ec) return absl::UnavailableError(absl::StrCat("cannot list the audit folder ", dir.string(), ": ", ec.message()));
  return last;
}

absl::StatusOr<std::string> FileSink::ReadLastLine(const std::string& path, off_t size) const {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("open", path, errno);
  // Backwards in chunks until the newline before the last line (or the start).
  off_t end = size - 1;  // the last line's '\n'
  off_t from = end;
  std::string tail;
  absl::StatusOr<std::string> result = absl::DataLossError("unreachable");
  while (true) {
    off_t chunk_start = std::max<off_t>(0, from - (64 << 10));
    absl::StatusOr<std::string> chunk = ReadRange(fd, chunk_start, from, path);
    if (!chunk.ok()) {
      result = chunk.status();
      break;
    }
    tail.insert(0, *chunk);
    size_t nl = tail.rfind('\n');
    if (nl != std::string::npos) {
      result = tail.substr(nl + 1);
      break;
    }
    if (chunk_start == 0) {
      result = tail;
      break;
    }
    if (end - chunk_start > kMaxLineBytes) {
      result = absl::DataLossError(absl::StrCat("the last line of ", path, " is longer than any record"));
      break;
    }
    from = chunk_start;
  }
  ::close(fd);
  return result;
}

absl::Status FileSink::FindRecordsEnd(off_t file_size, off_t* records_end, off_t* used_end) {
  *records_end = *used_end = file_size;
  if (file_size == 0) return absl::OkStatus();
  char last = 0;
  if (::pread(fd_, &last, 1, file_size - 1) != 1) return IoError("read", options_.path, errno);
  if (last != '\0') return absl::OkStatus();  // no reserve: closed cleanly, or written without one
  // The server stopped without cutting its reserve. The last non-NUL byte:
  absl::StatusOr<off_t> used = AfterLast(fd_, options_.path, file_size, file_size,
                                         [](const std::string& chunk) { return chunk.find_last_not_of('\0'); });
  if (!used.ok()) return used.status();
  *used_end = *used;
  // The first NUL byte: every acknowledged record lies before it. Pages can
  // reach the disk out of order, so a crash may leave zeros before bytes of
  // the last (unacknowledged) batch; searching from the start finds them.
  *records_end = *used_end;
  for (off_t from = 0; from < *used_end;) {
    off_t to = std::min<off_t>(*used_end, from + (1 << 20));
    absl::StatusOr<std::string> chunk = ReadRange(fd_, from, to, options_.path);
    if (!chunk.ok()) return chunk.status();
    size_t at = chunk->find('\0');
    if (at != std::string::npos) {
      *records_end = from + static_cast<off_t>(at);
      break;
    }
    from = to;
  }
  return absl::OkStatus();
}

absl::Status FileSink::CutTornTail(off_t records_end, off_t used_end) {
  // Find the last newline before the records end: everything after it is a
  // record whose write was cut off (it was never acknowledged, so no
  // response depended on it).
  // None within a line's maximum length: the whole file is one torn line.
  absl::StatusOr<off_t> good = AfterLast(fd_, options_.path, records_end, kMaxLineBytes,
                                         [](const std::string& chunk) { return chunk.rfind('\n'); });
  if (!good.ok()) return good.status();
  absl::StatusOr<std::string> torn = ReadRange(fd_, *good, used_end, options_.path);
  if (!torn.ok()) return torn.status();
  // Beside the log, but named so that `verify audit/audit.log*` does not
  // take it for part of the log: torn-<time>-audit.log.
  fs::path active(options_.path);
  std::string side = (active.parent_path() / absl::StrCat("torn-",
                                                          absl::FormatTime("%Y%m%dT%H%M%E6SZ", absl::Now(),
                                                                           absl::UTCTimeZone()),
                                                          "-", active.filename().string()))
                         .string();
  int sfd = ::open(side.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (sfd < 0) return IoError("create", side, errno);
  absl::Status written = WriteAll(sfd, *torn, side);
  if (written.ok() && ::fsync(sfd) != 0) written = IoError("sync", side, errno);
  ::close(sfd);
  if (!written.ok()) return written;
  if (::ftruncate(fd_, *good) != 0) return IoError("cut the torn end of", options_.path, errno);
  if (::fdatasync(fd_) != 0) return IoError("sync", options_.path, errno);
  recovered_ = TornTail{used_end - *good, side};
  size_ = reserved_end_ = *good;
  return absl::OkStatus();
}

absl::StatusOr<ChainPoint> FileSink::Open() {
  CloseFile();
  fs::path active(options_.path);
  std::string dir = active.has_parent_path() ? active.parent_path().string() : ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot create the audit folder ", dir, ": ", ec.message()));
  bool existed = fs::exists(active, ec);
  // Not O_APPEND: batches are written over the reserve, at size_.
  fd_ = ::open(options_.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) return IoError("open", options_.path, errno);
  if (!existed) {
    if (absl::Status s = SyncDirectory(dir); !s.ok()) return s;
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) return IoError("inspect", options_.path, errno);
  off_t records_end = 0, used_end = 0;
  if (absl::Status s = FindRecordsEnd(st.st_size, &records_end, &used_end); !s.ok()) return s;
  size_ = records_end;
  reserved_end_ = st.st_size;
  if (records_end > 0 || used_end > 0) {
    char last = 0;
    if (records_end > 0 && ::pread(fd_, &last, 1, records_end - 1) != 1) return IoError("read", options_.path, errno);
    if (last != '\n' || used_end > records_end) {
      if (absl::Status s = CutTornTail(records_end, used_end); !s.ok()) return s;
    }
  }
  before_last_ = size_;
  dropped_ = 0;
  opened_at_ = std::chrono::steady_clock::now();
  absl::StatusOr<int64_t> rotated = LastRotatedSegment();
  if (!rotated.ok()) return rotated.status();
  if (!existed && *rotated > 0) active_was_missing_ = true;

  // Where the chain ends: the active file's last record, or, when the active
  // file is new, the last record of the newest rotated file.
  std::string tail_path = options_.path;
  off_t tail_size = size_;
  if (size_ == 0) {
    segment_ = *rotated + 1;
    if (*rotated == 0) return ChainPoint{};
    tail_path = SegmentPath(*rotated);
    if (::stat(tail_path.c_str(), &st) != 0) return IoError("inspect", tail_path, errno);
    tail_size = st.st_size;
    if (tail_size == 0) return absl::DataLossError(absl::StrCat("the rotated audit file ", tail_path, " is empty"));
  }
  absl::StatusOr<std::string> line = ReadLastLine(tail_path, tail_size);
  if (!line.ok()) return line.status();
  absl::StatusOr<OpenedRecord> record = OpenLine(*line);
  if (!record.ok()) {
    return absl::DataLossError(absl::StrCat("the last record of ", tail_path, " is not valid (", record.status().message(),
                                            "); it may have been altered: run `tessera audit verify` before anything "
                                            "is appended"));
  }
  if (size_ > 0) {
    const boost::json::value* file = record->fields.if_contains("file");
    segment_ = file && file->is_int64() ? file->as_int64() : *rotated + 1;
    const boost::json::value* kind = record->fields.if_contains("kind");
    if (kind && kind->is_string() && kind->as_string() == "file_end") {
      // A rotation was cut off between its file_end and the rename.
      if (absl::Status s = Rotate(); !s.ok()) return s;
    } else if (file == nullptr || !file->is_int64()) {
      // The segment number comes from the file's first record.
      absl::StatusOr<std::string> head = ReadRange(fd_, 0, std::min<off_t>(size_, 4096), options_.path);
      if (!head.ok()) return head.status();
      size_t nl = head->find('\n');
      absl::StatusOr<OpenedRecord> first = OpenLine(std::string_view(*head).substr(0, nl));
      if (first.ok()) {
        const boost::json::value* f = first->fields.if_contains("file");
        if (f && f->is_int64()) segment_ = f->as_int64();
      }
    }
  }
  return ChainPoint{record->seq, record->hash};
}

absl::Status FileSink::WriteAt(std::string_view data, off_t offset) {
  while (!data.empty()) {
    ssize_t n = ::pwrite(fd_, data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write", options_.path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return absl::OkStatus();
}

absl::Status FileSink::Reserve(off_t needed) {
  if (options_.reserve_bytes <= 0 || needed <= std::max(reserved_end_, filler_.filled_end())) return absl::OkStatus();
  // The filler fell behind: the writer extends the file itself.
  HaltFiller();
  if (needed <= reserved_end_) return absl::OkStatus();
  // Whole pages, so that the next batches overwrite blocks that exist.
  constexpr off_t kPage = 4096;
  const off_t target = (needed + options_.reserve_bytes + kPage - 1) / kPage * kPage;
  const off_t from = std::max(reserved_end_, needed);
  if (from < target) {
    if (int err = WriteZeros(fd_, from, target - from); err != 0) return IoError("write", options_.path, err);
  }
  reserved_end_ = target;
  return absl::OkStatus();
}

absl::Status FileSink::TrimReserve() {
  HaltFiller();
  if (fd_ < 0 || reserved_end_ == size_) return absl::OkStatus();
  if (::ftruncate(fd_, size_) != 0) return IoError("cut the unused end of", options_.path, errno);
  if (::fdatasync(fd_) != 0) return IoError("sync", options_.path, errno);
  reserved_end_ = size_;
  return absl::OkStatus();
}

void FileSink::DropWrittenPages() {
  // Every 256 KiB of records: one call per few hundred records.
  const off_t until = size_ / 4096 * 4096;
  if (until - dropped_ < (256 << 10)) return;
  ::posix_fadvise(fd_, dropped_, until - dropped_, POSIX_FADV_DONTNEED);
  dropped_ = until;
}

absl::Status FileSink::Append(absl::Span<const SealedRecord> batch) {
  if (fd_ < 0) return absl::UnavailableError(absl::StrCat("the audit file ", options_.path, " is not open"));
  std::string& buffer = batch_bytes_;  // keeps its memory from batch to batch
  buffer.clear();
  for (const SealedRecord& r : batch) buffer += r.line;
  const off_t end = size_ + static_cast<off_t>(buffer.size());
  // Past the durable zeros the filler may be writing a step: it stops
  // first, and the batch's own sync then covers the zeros written for it.
  if (end > std::max(reserved_end_, filler_.filled_end())) HaltFiller();
  absl::Status s = WriteAt(buffer, size_);
  if (s.ok()) s = Reserve(end);
  if (s.ok() && ::fdatasync(fd_) != 0) s = IoError("sync", options_.path, errno);
  if (!s.ok()) {
    HaltFiller();
    // Take back whatever part of the batch reached the file (the reserve
    // with it); if even that fails, Open() cuts the torn line on recovery.
    if (::ftruncate(fd_, size_) != 0) {
      CloseFile();
    } else {
      reserved_end_ = size_;
    }
    return s;
  }
  before_last_ = size_;
  size_ = end;
  reserved_end_ = std::max(reserved_end_, size_);
  DropWrittenPages();
  // Half the reserve used: the filler tops it up while batches go on.
  const off_t ahead = std::max(reserved_end_, filler_.filled_end());
  if (options_.reserve_bytes > 0 && ahead - size_ < options_.reserve_bytes / 2 && !filler_.busy()) {
    filler_.Fill(fd_, ahead, (size_ + options_.reserve_bytes + 4095) / 4096 * 4096);
  }
  return absl::OkStatus();
}

absl::Status FileSink::Rollback() {
  if (fd_ < 0) return absl::UnavailableError(absl::StrCat("the audit file ", options_.path, " is not open"));
  HaltFiller();
  if (::ftruncate(fd_, before_last_) != 0 || ::fdatasync(fd_) != 0) {
    absl::Status s = IoError("take back the last batch of", options_.path, errno);
    CloseFile();
    return s;
  }
  size_ = reserved_end_ = before_last_;
  dropped_ = std::min(dropped_, size_ / 4096 * 4096);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SealedRecord>> FileSink::RecordsAfter(int64_t seq, size_t limit) {
  std::vector<SealedRecord> out;
  if (fd_ < 0) return absl::UnavailableError(absl::StrCat("the audit file ", options_.path, " is not open"));
  absl::StatusOr<std::string> all = ReadRange(fd_, 0, size_, options_.path);
  if (!all.ok()) return all.status();
  std::string_view rest(*all);
  bool first = true;
  while (!rest.empty() && out.size() < limit) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) break;
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    int64_t line_seq = LeadingSeq(line);
    if (first && line_seq > seq + 1) {
      return absl::NotFoundError(absl::StrCat("records after seq ", seq, " are in a rotated file, not in ", options_.path));
    }
    first = false;
    if (line_seq <= seq) continue;
    absl::StatusOr<OpenedRecord> r = OpenLine(line);
    if (!r.ok()) return absl::DataLossError(absl::StrCat(options_.path, ": record ", line_seq, ": ", r.status().message()));
    out.push_back(SealedRecord{r->seq, r->hash, std::string(line) + "\n"});
  }
  return out;
}

bool FileSink::WantsRotation() const {
  if (fd_ < 0 || size_ == 0) return false;
  if (options_.rotate_bytes > 0 && size_ >= options_.rotate_bytes) return true;
  return options_.rotate_age.count() > 0 && std::chrono::steady_clock::now() - opened_at_ >= options_.rotate_age;
}

absl::Status FileSink::Rotate() {
  // A rotated file holds its records and nothing else.
  if (absl::Status s = TrimReserve(); !s.ok()) return s;
  CloseFile();
  std::string target = SegmentPath(segment_);
  if (::access(target.c_str(), F_OK) == 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot rotate the audit file: ", target, " already exists"));
  }
  if (::rename(options_.path.c_str(), target.c_str()) != 0) return IoError("rotate", options_.path, errno);
  fs::path active(options_.path);
  std::string dir = active.has_parent_path() ? active.parent_path().string() : ".";
  if (absl::Status s = SyncDirectory(dir); !s.ok()) return s;
  fd_ = ::open(options_.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd_ < 0) return IoError("create", options_.path, errno);
  if (absl::Status s = SyncDirectory(dir); !s.ok()) return s;
  ++segment_;
  size_ = reserved_end_ = 0;
  before_last_ = 0;
  dropped_ = 0;
  opened_at_ = std::chrono::steady_clock::now();
  return absl::OkStatus();
}

}  // namespace tessera::audit
