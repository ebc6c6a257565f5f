// The audit log's writer: group commit, durability before the answer,
// failures and recovery, restarts, torn writes, rotation with signatures.
#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "audit/log_verifier.h"
#include "audit/record_fields.h"

namespace tessera::audit {
namespace {

namespace fs = std::filesystem;

constexpr char kTestKeyPem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tessera-audit-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The records of a file: its bytes before the first NUL (a running log's
// active file is zero-filled ahead of them).
std::string RecordsOf(const std::string& path) {
  std::string text = ReadFile(path);
  return text.substr(0, text.find('\0'));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

// Opens every line and checks that each links to the one before; returns
// the records (fails the test on the first break).
std::vector<OpenedRecord> ReadChain(const std::vector<std::string>& files, ChainPoint start = {}) {
  std::vector<OpenedRecord> out;
  ChainPoint at = start;
  for (const std::string& file : files) {
    for (const std::string& line : Lines(ReadFile(file))) {
      absl::StatusOr<OpenedRecord> r = OpenLine(line);
      EXPECT_TRUE(r.ok()) << file << ": " << r.status() << "\n" << line;
      if (!r.ok()) return out;
      EXPECT_EQ(r->seq, at.seq + 1) << file;
      EXPECT_EQ(r->prev, at.hash) << file;
      at = ChainPoint{r->seq, r->hash};
      out.push_back(*std::move(r));
    }
  }
  return out;
}

std::string Kind(const OpenedRecord& r) { return std::string(r.fields.at("kind").as_string()); }

std::string RequestFields(const std::string& id) {
  return RecordFields().Str("time", RecordTime()).Str("kind", "request").Str("request_id", id).Take();
}
std::string StartFields() { return RecordFields().Str("time", RecordTime()).Str("kind", "start").Take(); }
std::string StopFields() { return RecordFields().Str("time", RecordTime()).Str("kind", "stop").Take(); }

// A second sink held in memory, which can be told to fail.
class MemorySink final : public AuditSink {
 public:
  std::string Describe() const override { return "memory"; }
  absl::StatusOr<ChainPoint> Open() override {
    if (fail) return absl::UnavailableError("memory sink is down");
    if (records.empty()) return ChainPoint{};
    return ChainPoint{records.back().seq, records.back().hash};
  }
  absl::Status Append(absl::Span<const SealedRecord> batch) override {
    if (fail) return absl::UnavailableError("memory sink is down");
    for (const auto& r : batch) records.push_back(r);
    ++appends;
    return absl::OkStatus();
  }
  absl::Status Rollback() override { return absl::FailedPreconditionError("append-only"); }
  absl::StatusOr<std::vector<SealedRecord>> RecordsAfter(int64_t seq, size_t limit) override {
    std::vector<SealedRecord> out;
    for (const auto& r : records) {
      if (r.seq > seq && out.size() < limit) out.push_back(r);
    }
    return out;
  }
  std::atomic<bool> fail{false};
  std::vector<SealedRecord> records;
  int appends = 0;
};

// The log's second sink, held in memory so that the test can make it fail;
// `*sink` points at it.
std::vector<std::unique_ptr<AuditSink>> OneMemorySink(MemorySink** sink) {
  auto memory = std::make_unique<MemorySink>();
  *sink = memory.get();
  std::vector<std::unique_ptr<AuditSink>> sinks;
  sinks.push_back(std::move(memory));
  return sinks;
}

// Options for a log whose sinks fail in the test: retried every 20 ms.
AuditLogOptions Retrying(OnFailure on_failure) {
  AuditLogOptions options;
  options.on_failure = on_failure;
  options.retry_every = std::chrono::milliseconds(20);
  return options;
}

// Waits (up to 3 s) until the log is writable again.
bool AwaitHealthy(const AuditLog& log) {
  for (int i = 0; i < 300 && !log.Health().healthy; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return log.Health().healthy;
}

// Waits (up to 1 s) until record `seq` is durable.
bool AwaitHead(const AuditLog& log, int64_t seq) {
  for (int i = 0; i < 200 && log.Health().head.seq < seq; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return log.Health().head.seq >= seq;
}

std::unique_ptr<FileSink> File(const std::string& path, int64_t rotate_bytes = 0) {
  FileSinkOptions o;
  o.path = path;
  o.rotate_bytes = rotate_bytes;
  return std::make_unique<FileSink>(o);
}

// Submits and waits for the answer.
absl::Status SubmitAndWait(AuditLog& log, const std::string& fields) {
  absl::Notification done;
  absl::Status result;
  log.Submit(fields, [&](absl::Status s) {
    result = s;
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

TEST(AuditLog, EveryRecordIsOnDiskBeforeItsRequestIsAnswered) {
  TempDir dir;
  std::string path = dir / "audit/audit.log";
  AuditLog log(AuditLogOptions{}, File(path), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  constexpr int kThreads = 8, kEach = 250;
  std::atomic<int> answered{0}, missing{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string id = absl::StrCat("req-", t, "-", i);
        absl::Notification done;
        log.Submit(RequestFields(id), [&, id](absl::Status s) {
          EXPECT_TRUE(s.ok()) << s;
          // Sampled (reading the file is slow): the record must be there.
          if (i % 50 == 0 && ReadFile(path).find("\"" + id + "\"") == std::string::npos) ++missing;
          ++answered;
          done.Notify();
        });
        done.WaitForNotification();
      }
    });
  }
  for (auto& t : threads) t.join();
  log.Stop(StopFields());
  EXPECT_EQ(answered.load(), kThreads * kEach);
  EXPECT_EQ(missing.load(), 0);
  std::vector<OpenedRecord> records = ReadChain({path});
  ASSERT_EQ(records.size(), static_cast<size_t>(kThreads * kEach + 3));
  EXPECT_EQ(Kind(records[0]), "file_start");
  EXPECT_EQ(records[0].fields.at("file").as_int64(), 1);
  EXPECT_TRUE(records[0].fields.at("previous_file").is_null());
  EXPECT_EQ(Kind(records[1]), "start");
  EXPECT_EQ(Kind(records.back()), "stop");
}

TEST(AuditLog, ARestartContinuesTheChain) {
  TempDir dir;
  std::string path = dir / "audit.log";
  for (int run = 0; run < 3; ++run) {
    AuditLog log(AuditLogOptions{}, File(path), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat(run, "-", i))).ok());
    log.Stop(StopFields());
  }
  std::vector<OpenedRecord> records = ReadChain({path});
  ASSERT_EQ(records.size(), 1u + 3 * 7);
  EXPECT_EQ(Kind(records[8]), "start");
}

TEST(AuditLog, ATornLastRecordIsMovedAsideAndTheRepairRecorded) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    ASSERT_TRUE(SubmitAndWait(log, RequestFields("a")).ok());
    log.Stop(StopFields());
  }
  std::string torn = R"({"seq":5,"prev":"0123","time":"2026-12-05T)";
  { std::ofstream(path, std::ios::app) << torn; }
  AuditLog log(AuditLogOptions{}, File(path), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({path});
  ASSERT_EQ(records.size(), 7u);
  EXPECT_EQ(Kind(records[4]), "recovered");
  EXPECT_EQ(records[4].fields.at("torn_bytes").as_int64(), static_cast<int64_t>(torn.size()));
  std::string side(records[4].fields.at("moved_to").as_string());
  EXPECT_EQ(ReadFile(side), torn);
  // Not a name `verify audit.log*` would pick up as part of the log.
  EXPECT_EQ(fs::path(side).filename().string().rfind("audit.log", 0), std::string::npos) << side;
  EXPECT_EQ(fs::path(side).parent_path(), fs::path(path).parent_path());
}

// A crash during the first write to a new file (after a rotation) can tear
// its file_start: the file is then empty once repaired, and must still begin
// with a file_start, the repair's record after it.
TEST(AuditLog, ATornFileStartIsRepairedIntoAFileThatBeginsWithFileStart) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/1500), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat("r", i))).ok());
    log.Stop(StopFields());
  }
  std::vector<std::string> files;
  for (int i = 1; fs::exists(absl::StrFormat("%s.%06d", path, i)); ++i) files.push_back(absl::StrFormat("%s.%06d", path, i));
  ASSERT_FALSE(files.empty());
  // The active file as a crash mid-rotation leaves it: a torn first line.
  fs::remove(path);
  { std::ofstream(path) << R"({"seq":99,"prev":"ab","time":"2026-12-06T)"; }
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/0), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    log.Stop(StopFields());
  }
  std::vector<std::string> kinds;
  for (const std::string& line : Lines(RecordsOf(path))) kinds.push_back(Kind(*OpenLine(line)));
  EXPECT_EQ(kinds, (std::vector<std::string>{"file_start", "recovered", "start", "stop"}));
  files.push_back(path);
  absl::StatusOr<VerifyReport> report = VerifyLog(files, VerifyOptions{});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->failure.has_value()) << report->failure->ToString();
}

TEST(AuditLog, AnAlteredLastRecordStopsTheStart) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    ASSERT_TRUE(SubmitAndWait(log, RequestFields("alice")).ok());
    log.Stop(StopFields());
  }
  std::string text = ReadFile(path);
  size_t at = text.rfind("\"stop\"");
  text.replace(at, 6, "\"stap\"");
  { std::ofstream(path, std::ios::trunc) << text; }
  AuditLog log(AuditLogOptions{}, File(path), {});
  absl::Status s = log.Start(StartFields());
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(std::string(s.message()).find("tessera audit verify"), std::string::npos) << s;
}

TEST(AuditLog, RotatedFilesEndWithASignatureOverTheirLastHash) {
  TempDir dir;
  std::string path = dir / "audit.log";
  AuditLogOptions options;
  auto signer = RecordSigner::FromPem(kTestKeyPem);
  ASSERT_TRUE(signer.ok());
  options.signer = *std::move(signer);
  auto checker = SignatureChecker::FromPem(options.signer->public_pem());
  ASSERT_TRUE(checker.ok());
  {
    AuditLog log(options, File(path, /*rotate_bytes=*/1500), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    for (int i = 0; i < 40; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat("r", i))).ok());
    log.Stop(StopFields());
  }
  std::vector<std::string> files;
  for (int n = 1; fs::exists(absl::StrFormat("%s.%06d", path, n)); ++n) files.push_back(absl::StrFormat("%s.%06d", path, n));
  ASSERT_GE(files.size(), 3u);
  files.push_back(path);
  ReadChain(files);
  ChainPoint at;
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<std::string> lines = Lines(ReadFile(files[f]));
    absl::StatusOr<OpenedRecord> first = OpenLine(lines.front());
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(Kind(*first), "file_start") << files[f];
    EXPECT_EQ(first->fields.at("file").as_int64(), static_cast<int64_t>(f + 1));
    if (f > 0) {
      EXPECT_EQ(first->fields.at("previous_file").as_string(), fs::path(files[f - 1]).filename().string());
    }
    absl::StatusOr<OpenedRecord> last = OpenLine(lines.back());
    ASSERT_TRUE(last.ok());
    if (f + 1 == files.size()) {
      EXPECT_EQ(Kind(*last), "stop");
      break;
    }
    EXPECT_EQ(Kind(*last), "file_end") << files[f];
    EXPECT_EQ(last->fields.at("key_id").as_string(), (*checker)->key_id());
    ChainPoint signed_point{last->seq - 1, last->prev};
    EXPECT_TRUE((*checker)->Verify(signed_point, last->fields.at("signature").as_string()));
    EXPECT_FALSE((*checker)->Verify(ChainPoint{last->seq, last->hash}, last->fields.at("signature").as_string()));
  }
}

TEST(AuditLog, ASinkFailureRefusesRequestsUntilItRecovers) {
  TempDir dir;
  std::string path = dir / "audit.log";
  MemorySink* sink = nullptr;
  AuditLogOptions options = Retrying(OnFailure::kRefuse);
  AuditLog log(options, File(path), OneMemorySink(&sink));
  ASSERT_TRUE(log.Start(StartFields()).ok());
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("before")).ok());
  const std::string stored = RecordsOf(path);

  sink->fail = true;
  absl::Status s = SubmitAndWait(log, RequestFields("during-1"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(log.Health().healthy);
  EXPECT_NE(log.Health().problem.find("memory sink is down"), std::string::npos);
  // The file took the failed batch back: both sinks hold the same chain.
  EXPECT_EQ(RecordsOf(path), stored);
  EXPECT_EQ(SubmitAndWait(log, RequestFields("during-2")).code(), absl::StatusCode::kUnavailable);

  sink->fail = false;
  ASSERT_TRUE(AwaitHealthy(log));
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("after")).ok());
  log.Stop(StopFields());

  std::vector<OpenedRecord> records = ReadChain({path});
  std::string text = ReadFile(path);
  EXPECT_EQ(text.find("during-"), std::string::npos);
  ASSERT_EQ(records.size(), 6u);  // file_start, start, before, outage, after, stop
  EXPECT_EQ(Kind(records[3]), "audit_outage");
  EXPECT_EQ(records[3].fields.at("refused").as_int64(), 2);
  EXPECT_NE(std::string(records[3].fields.at("error").as_string()).find("memory sink is down"), std::string::npos);
  // The memory sink holds the very same records.
  ASSERT_EQ(sink->records.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(sink->records[i].hash, records[i].hash);
}

TEST(AuditLog, RefusalsKeptWhileDownAreStoredAfterTheOutageRecord) {
  TempDir dir;
  std::string path = dir / "audit.log";
  MemorySink* sink = nullptr;
  AuditLogOptions options = Retrying(OnFailure::kRefuse);
  options.max_backlog = 2;
  AuditLog log(options, File(path), OneMemorySink(&sink));
  ASSERT_TRUE(log.Start(StartFields()).ok());
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("before")).ok());

  sink->fail = true;
  // As the API does: a refused request's record is made anew and kept.
  ASSERT_EQ(SubmitAndWait(log, RequestFields("during-1")).code(), absl::StatusCode::kUnavailable);
  log.KeepForLater(RequestFields("refused-1"));
  ASSERT_EQ(SubmitAndWait(log, RequestFields("during-2")).code(), absl::StatusCode::kUnavailable);
  log.KeepForLater(RequestFields("refused-2"));
  ASSERT_EQ(SubmitAndWait(log, RequestFields("during-3")).code(), absl::StatusCode::kUnavailable);
  log.KeepForLater(RequestFields("refused-3"));  // beyond max_backlog: counted only

  sink->fail = false;
  ASSERT_TRUE(AwaitHealthy(log));
  // Kept while the log is up: stored with the next batch.
  log.KeepForLater(RequestFields("refused-late"));
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("after")).ok());
  log.Stop(StopFields());

  std::vector<OpenedRecord> records = ReadChain({path});
  std::vector<std::string> ids;
  for (const OpenedRecord& r : records) {
    if (Kind(r) == "request") ids.emplace_back(r.fields.at("request_id").as_string());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"before", "refused-1", "refused-2", "refused-late", "after"}));
  ASSERT_GE(records.size(), 5u);
  EXPECT_EQ(Kind(records[3]), "audit_outage");
  EXPECT_EQ(records[3].fields.at("refused").as_int64(), 3);
  EXPECT_EQ(records[3].fields.at("unrecorded").as_int64(), 1);
  EXPECT_EQ(records[4].fields.at("request_id").as_string(), "refused-1");
  EXPECT_EQ(ReadFile(path).find("during-"), std::string::npos);
}

TEST(AuditLog, WarnModeAnswersAndStoresTheRecordsLater) {
  TempDir dir;
  std::string path = dir / "audit.log";
  MemorySink* sink = nullptr;
  AuditLogOptions options = Retrying(OnFailure::kWarn);
  AuditLog log(options, File(path), OneMemorySink(&sink));
  ASSERT_TRUE(log.Start(StartFields()).ok());
  // The start record is stored first (file_start is 1).
  ASSERT_TRUE(AwaitHead(log, 2));
  ASSERT_EQ(log.Health().head.seq, 2);
  sink->fail = true;
  EXPECT_TRUE(SubmitAndWait(log, RequestFields("late-1")).ok());
  EXPECT_TRUE(SubmitAndWait(log, RequestFields("late-2")).ok());
  EXPECT_FALSE(log.Health().healthy);
  sink->fail = false;
  ASSERT_TRUE(AwaitHealthy(log));
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({path});
  ASSERT_EQ(records.size(), 6u);  // file_start, start, outage, late-1, late-2, stop
  EXPECT_EQ(Kind(records[2]), "audit_outage");
  EXPECT_EQ(records[2].fields.at("refused").as_int64(), 0);
  EXPECT_EQ(records[3].fields.at("request_id").as_string(), "late-1");
  EXPECT_EQ(records[4].fields.at("request_id").as_string(), "late-2");
}

// A catch-up bigger than the writer keeps sealing slots for: the chain
// goes on from its last record (the slots are trimmed only after).
TEST(AuditLog, TheChainContinuesAfterABacklogOfMoreThanFourThousandRecords) {
  TempDir dir;
  std::string path = dir / "audit.log";
  MemorySink* sink = nullptr;
  AuditLogOptions options = Retrying(OnFailure::kWarn);
  AuditLog log(options, File(path), OneMemorySink(&sink));
  ASSERT_TRUE(log.Start(StartFields()).ok());
  ASSERT_TRUE(AwaitHead(log, 2));
  sink->fail = true;
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("first-late")).ok());
  for (int i = 0; i < 5000; ++i) log.Submit(RequestFields(absl::StrCat("late-", i)), nullptr);
  sink->fail = false;
  ASSERT_TRUE(AwaitHealthy(log));
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("after")).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({path});  // checks every link
  ASSERT_EQ(records.size(), 5006u);  // file_start, start, outage, 5001 late, after, stop
  EXPECT_EQ(records[records.size() - 2].fields.at("request_id").as_string(), "after");
}

TEST(AuditLog, ASinkThatFellBehindIsBroughtUpToDate) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    ASSERT_TRUE(SubmitAndWait(log, RequestFields("x")).ok());
    log.Stop(StopFields());
  }
  MemorySink* sink = nullptr;
  AuditLog log(AuditLogOptions{}, File(path), OneMemorySink(&sink));
  ASSERT_TRUE(log.Start(StartFields()).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({path});
  ASSERT_EQ(sink->records.size(), records.size());
  EXPECT_EQ(sink->records.back().hash, records.back().hash);
}

TEST(AuditLog, SinksThatDisagreeStopTheStart) {
  TempDir dir;
  std::string path = dir / "audit.log";
  auto memory = std::make_unique<MemorySink>();
  memory->records.push_back(Seal(ChainPoint{}, RecordFields().Str("kind", "forged").text()));
  std::vector<std::unique_ptr<AuditSink>> others;
  others.push_back(std::move(memory));
  {
    AuditLog log(AuditLogOptions{}, File(path), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    log.Stop(StopFields());
  }
  AuditLog log(AuditLogOptions{}, File(path), std::move(others));
  absl::Status s = log.Start(StartFields());
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(std::string(s.message()).find("disagree"), std::string::npos) << s;
}

// The file sink writes batches over zero-filled space (file_sink.h).

// A log that stored the start record and one request per id, copied while
// it ran: what a crash (of the process or the machine) after the last
// acknowledged batch leaves behind. Returns the copy's path ("" on failure).
std::string CrashedLog(const TempDir& dir, const std::vector<std::string>& ids) {
  std::string path = dir / "audit.log";
  std::string copy = dir / "crashed.log";
  AuditLog log(AuditLogOptions{}, File(path), {});
  if (!log.Start(StartFields()).ok()) return "";
  for (const std::string& id : ids) {
    if (!SubmitAndWait(log, RequestFields(id)).ok()) return "";
  }
  fs::copy_file(path, copy);
  log.Stop(StopFields());
  return copy;
}

// Writes `bytes` into the file at `offset` (over its zeros), as a crash may
// have left them.
void WriteAt(const std::string& path, size_t offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f << bytes;
}

std::vector<std::string> TornFiles(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind("torn-", 0) == 0) out.push_back(entry.path().string());
  }
  return out;
}

TEST(AuditLog, ConcurrentBatchesOverABackgroundFilledReserveKeepEveryRecordIntact) {
  // A small reserve, so that the filler tops it up over and over while
  // batches land just in front of its zeros: a zero written over a record,
  // or a record written where the filler then writes, breaks the chain.
  TempDir dir;
  std::string path = dir / "audit.log";
  FileSinkOptions file;
  file.path = path;
  file.rotate_bytes = 0;
  file.reserve_bytes = 8 << 10;
  AuditLogOptions options;
  options.open_connections = std::make_shared<std::atomic<int64_t>>(8);
  AuditLog log(options, std::make_unique<FileSink>(file), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  constexpr int kThreads = 8, kEach = 400;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!SubmitAndWait(log, RequestFields(absl::StrCat("t", t, "-", i, std::string(200, 'x')))).ok()) ++failed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  std::string text = ReadFile(path);
  std::string records = RecordsOf(path);
  EXPECT_GT(records.size(), 100u * file.reserve_bytes) << "the records outgrew the reserve many times over";
  EXPECT_EQ(text.find_first_not_of('\0', records.size()), std::string::npos) << "only zeros after the records";
  log.Stop(StopFields());
  std::vector<OpenedRecord> chain = ReadChain({path});
  EXPECT_EQ(chain.size(), 3u + kThreads * kEach);  // file_start, start, the requests, stop
}

TEST(AuditLog, TheActiveFileIsZeroFilledAheadOfItsRecordsAndCutToThemAtStop) {
  TempDir dir;
  std::string path = dir / "audit.log";
  AuditLog log(AuditLogOptions{}, File(path), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat("r", i))).ok());
  std::string text = ReadFile(path);
  std::string records = RecordsOf(path);
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back(), '\n');
  EXPECT_GE(text.size(), records.size() + FileSinkOptions{}.reserve_bytes);
  EXPECT_EQ(text.find_first_not_of('\0', records.size()), std::string::npos) << "only zeros after the records";
  EXPECT_EQ(Lines(records).size(), 5u);  // file_start, start, r0..r2
  log.Stop(StopFields());
  text = ReadFile(path);
  EXPECT_EQ(text.find('\0'), std::string::npos) << "a cleanly stopped log keeps no reserve";
  EXPECT_EQ(ReadChain({path}).size(), 6u);
}

TEST(AuditLog, ACrashWithTheReserveInPlaceContinuesWithNothingToRepair) {
  TempDir dir;
  std::string crashed = CrashedLog(dir, {"r0", "r1", "r2"});
  ASSERT_FALSE(crashed.empty());
  AuditLog log(AuditLogOptions{}, File(crashed), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  ASSERT_TRUE(SubmitAndWait(log, RequestFields("after")).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({crashed});
  ASSERT_EQ(records.size(), 8u);  // file_start, start, r0..r2, start, after, stop
  EXPECT_EQ(Kind(records[5]), "start");
  EXPECT_EQ(records[6].fields.at("request_id").as_string(), "after");
  EXPECT_TRUE(TornFiles(dir).empty());
}

TEST(AuditLog, ARecordCutOffBeforeTheReserveIsMovedAside) {
  TempDir dir;
  std::string crashed = CrashedLog(dir, {"a"});
  ASSERT_FALSE(crashed.empty());
  const std::string torn = R"({"seq":4,"prev":"0123","time":"2026-12-05T)";
  WriteAt(crashed, RecordsOf(crashed).size(), torn);
  AuditLog log(AuditLogOptions{}, File(crashed), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({crashed});
  ASSERT_EQ(records.size(), 6u);  // file_start, start, a, recovered, start, stop
  EXPECT_EQ(Kind(records[3]), "recovered");
  EXPECT_EQ(records[3].fields.at("torn_bytes").as_int64(), static_cast<int64_t>(torn.size()));
  EXPECT_EQ(ReadFile(std::string(records[3].fields.at("moved_to").as_string())), torn);
}

TEST(AuditLog, AHoleOfZerosAndEverythingAfterItAreCutOffAndKept) {
  // Pages reach the disk in any order: a crash during a batch's sync can
  // leave its first page unwritten (zeros) and a later one written.
  TempDir dir;
  std::string crashed = CrashedLog(dir, {"acknowledged"});
  ASSERT_FALSE(crashed.empty());
  const std::string later = Seal(ChainPoint{9, std::string(64, 'a')}, RequestFields("unacknowledged")).line;
  WriteAt(crashed, RecordsOf(crashed).size() + 4096, later);
  AuditLog log(AuditLogOptions{}, File(crashed), {});
  ASSERT_TRUE(log.Start(StartFields()).ok());
  log.Stop(StopFields());
  std::vector<OpenedRecord> records = ReadChain({crashed});
  ASSERT_EQ(records.size(), 6u);  // file_start, start, acknowledged, recovered, start, stop
  EXPECT_EQ(records[2].fields.at("request_id").as_string(), "acknowledged");
  EXPECT_EQ(Kind(records[3]), "recovered");
  EXPECT_EQ(records[3].fields.at("torn_bytes").as_int64(), static_cast<int64_t>(4096 + later.size()));
  EXPECT_EQ(ReadFile(std::string(records[3].fields.at("moved_to").as_string())), std::string(4096, '\0') + later);
  EXPECT_EQ(ReadFile(crashed).find("unacknowledged"), std::string::npos);
}

TEST(AuditLog, AnActiveFileMissingBesideRotatedOnesIsRecorded) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/1500), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat("r", i))).ok());
    log.Stop(StopFields());
  }
  ASSERT_TRUE(fs::exists(path + ".000001"));
  std::vector<std::string> rotated;
  for (int i = 1; fs::exists(absl::StrFormat("%s.%06d", path, i)); ++i) rotated.push_back(absl::StrFormat("%s.%06d", path, i));
  fs::remove(path);  // someone deletes the active file
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/0), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    ASSERT_TRUE(SubmitAndWait(log, RequestFields("after")).ok());
    log.Stop(StopFields());
  }
  std::vector<std::string> files = rotated;
  files.push_back(path);
  std::vector<OpenedRecord> records = ReadChain(files);  // still one chain: the files alone cannot tell
  // The new active file: file_start, file_missing, start, after, stop.
  std::vector<std::string> kinds;
  for (const std::string& line : Lines(RecordsOf(path))) kinds.push_back(Kind(*OpenLine(line)));
  EXPECT_EQ(kinds, (std::vector<std::string>{"file_start", "file_missing", "start", "request", "stop"}));
  absl::StatusOr<OpenedRecord> missing = OpenLine(Lines(RecordsOf(path))[1]);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->fields.at("file").as_string(), "audit.log");
  EXPECT_EQ(missing->fields.at("continues_from").as_string(), fs::path(rotated.back()).filename().string());
  EXPECT_EQ(Kind(records.back()), "stop");
  absl::StatusOr<VerifyReport> report = VerifyLog(files, VerifyOptions{});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->failure.has_value()) << report->failure->ToString();

  // A normal restart says nothing of the kind.
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/0), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    log.Stop(StopFields());
  }
  std::string text = RecordsOf(path);
  EXPECT_EQ(text.find("file_missing"), text.rfind("file_missing"));
}

TEST(AuditLog, RotatedFilesKeepNoReserve) {
  TempDir dir;
  std::string path = dir / "audit.log";
  {
    AuditLog log(AuditLogOptions{}, File(path, /*rotate_bytes=*/1500), {});
    ASSERT_TRUE(log.Start(StartFields()).ok());
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(SubmitAndWait(log, RequestFields(absl::StrCat("r", i))).ok());
    // While the log runs: rotated files are cut to their records, the
    // active one has its reserve.
    EXPECT_EQ(ReadFile(path + ".000001").find('\0'), std::string::npos);
    EXPECT_NE(ReadFile(path).find('\0'), std::string::npos);
    log.Stop(StopFields());
  }
}

}  // namespace
}  // namespace tessera::audit
