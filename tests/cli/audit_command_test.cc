#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "audit/test_log.h"
#include "cli/commands.h"

namespace tessera::cli {
namespace {

using audit::testing::ReadLines;
using audit::testing::TempDir;
using audit::testing::TestLog;
using audit::testing::WriteLines;

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// `tail -f` options for a test: poll often, stop after `max_records`, say
// through `polling` that following has begun, and give up after 20 s.
AuditTailOptions Following(std::atomic<bool>& polling, int64_t max_records) {
  AuditTailOptions options;
  options.poll_interval = std::chrono::milliseconds(5);
  options.max_records = max_records;
  auto start = std::chrono::steady_clock::now();
  options.stop = [&polling, start] {
    polling = true;
    return std::chrono::steady_clock::now() - start > std::chrono::seconds(20);  // never hang the suite
  };
  return options;
}

// The standard 3-file, 30-record log (audit/test_log.h), signed.
class AuditCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = audit::RecordSigner::FromPem(audit::testing::kTestSigningKeyPem);
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = std::move(*signer);
    log_ = std::make_unique<TestLog>(dir_ / "audit", signer_.get());
    log_->WriteStandard();
  }
  std::string f1() const { return log_->rotated(1); }
  std::string f2() const { return log_->rotated(2); }
  std::string active() const { return log_->active(); }

  TempDir dir_;
  std::unique_ptr<audit::RecordSigner> signer_;
  std::unique_ptr<TestLog> log_;
  std::ostringstream out_, err_;
};

TEST_F(AuditCommandTest, VerifyPrintsWhatItChecked) {
  audit::VerifyOptions options;
  options.public_key_pem = signer_->public_pem();
  EXPECT_EQ(RunAuditVerify({active(), f1(), f2()}, options, out_, err_), 0) << err_.str();
  EXPECT_EQ(out_.str(), "OK: 30 records in 3 files (seq 1..30), last hash " + log_->head().hash +
                            "; 2 file signatures checked\n");
  EXPECT_EQ(err_.str(), "");

  std::ostringstream out;
  audit::VerifyOptions anywhere;
  anywhere.start_anywhere = true;
  EXPECT_EQ(RunAuditVerify({f2(), active()}, anywhere, out, err_), 0);
  EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
            "OK: 19 records in 2 files (seq 12..30), last hash " + log_->head().hash +
                "; file signatures not checked (no --public-key; 1 present)");
  EXPECT_NE(out.str().find("note: checked from seq 12 on; its link to record 11 (hash "), std::string::npos);
  EXPECT_NE(out.str().find("was taken on trust (--start-anywhere)"), std::string::npos);
}

TEST_F(AuditCommandTest, VerifyNamesTheFirstBadRecord) {
  std::vector<std::string> lines = ReadLines(f2());
  lines.erase(lines.begin() + 3);  // seq 15
  WriteLines(f2(), lines);
  EXPECT_EQ(RunAuditVerify({f1(), f2(), active()}, {}, out_, err_), 1);
  EXPECT_EQ(out_.str(), "FAILED: " + f2() + ":4 (seq 16): seq 16 follows seq 14: record 15 is missing here "
                        "(lines were deleted or moved)\n");

  std::ostringstream out;
  audit::VerifyOptions head;
  head.head = audit::ChainPoint{31, log_->head().hash};
  EXPECT_EQ(RunAuditVerify({f1(), active()}, head, out, err_), 1);
  EXPECT_EQ(out.str().rfind("FAILED: " + active() + ":1 (seq 22): the file starts at seq 22", 0), 0u) << out.str();
}

TEST_F(AuditCommandTest, VerifyCannotCheckWhatItCannotRead) {
  EXPECT_EQ(RunAuditVerify({f1(), dir_ / "nope.log"}, {}, out_, err_), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_NE(err_.str().find("cannot read " + (dir_ / "nope.log")), std::string::npos) << err_.str();
  std::ostringstream err;
  audit::VerifyOptions bad_key;
  bad_key.public_key_pem = "not a key";
  EXPECT_EQ(RunAuditVerify({f1()}, bad_key, out_, err), 2);
  EXPECT_NE(err.str().find("the public key"), std::string::npos) << err.str();
}

TEST_F(AuditCommandTest, SearchPrintsMatchingRecordsReadably) {
  audit::RecordFilter filter;
  filter.subject = "user-bob";
  filter.outcome = "denied";
  EXPECT_EQ(RunAuditSearch(log_->files(), filter, false, out_, err_), 0) << err_.str();
  EXPECT_EQ(err_.str(), "");
  std::vector<std::string> lines;
  std::istringstream printed(out_.str());
  for (std::string line; std::getline(printed, line);) lines.push_back(line);
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    EXPECT_NE(line.find(" request denied 403 subject=user-bob tenant="), std::string::npos) << line;
    EXPECT_NE(line.find(" POST /cubejs-api/v1/load reason: member Orders.secret is denied"), std::string::npos) << line;
  }
  // seq 4 is the first denied request (every 4th record; TestLog::Requests).
  EXPECT_EQ(lines[0], "seq 4 2026-12-05T14:00:03.123456Z request denied 403 subject=user-bob tenant=globex "
                      "POST /cubejs-api/v1/load reason: member Orders.secret is denied");
}

TEST_F(AuditCommandTest, SearchWithJsonPrintsTheRecordsAsWrittenInChainOrder) {
  audit::RecordFilter filter;
  filter.tenant = "acme";
  // Files in shell order (the active file sorts first): output is still in chain order.
  EXPECT_EQ(RunAuditSearch({active(), f1(), f2()}, filter, true, out_, err_), 0);
  std::vector<std::string> want;
  for (const std::string& file : log_->files()) {
    for (const std::string& line : ReadLines(file)) {
      if (line.find("\"tenant\":\"acme\"") != std::string::npos) want.push_back(line);
    }
  }
  ASSERT_GE(want.size(), 6u);
  EXPECT_EQ(out_.str(), Joined(want));
}

TEST_F(AuditCommandTest, SearchByKindAndTime) {
  audit::RecordFilter filter;
  filter.kind = "file_start";
  filter.since = absl::FromUnixSeconds(1796479200 + 11);  // seq 12's second
  EXPECT_EQ(RunAuditSearch(log_->files(), filter, true, out_, err_), 0);
  EXPECT_EQ(out_.str(), Joined({ReadLines(f2())[0], ReadLines(active())[0]}));
  std::ostringstream out;
  filter.until = filter.since;
  EXPECT_EQ(RunAuditSearch(log_->files(), filter, true, out, err_), 1);  // nothing matched
  EXPECT_EQ(out.str(), "");
}

TEST_F(AuditCommandTest, SearchReportsBadLinesAndGoesOn) {
  std::vector<std::string> lines = ReadLines(f2());
  lines[3].replace(lines[3].find("127.0.0.1"), 9, "127.0.0.2");  // seq 15
  WriteLines(f2(), lines);
  std::string text = audit::testing::ReadFile(active());
  audit::testing::WriteFile(active(), text.substr(0, text.size() - 30));  // seq 30 cut off
  audit::RecordFilter filter;
  filter.kind = "request";
  EXPECT_EQ(RunAuditSearch(log_->files(), filter, true, out_, err_), 0);
  EXPECT_EQ(err_.str(), f2() + ":4: not a valid record: its hash does not match its content\n" + active() +
                            ":9: incomplete last record (the file was truncated or a write was cut off)\n");
  // 24 requests, minus the edited one and the cut one.
  std::istringstream printed(out_.str());
  int count = 0;
  for (std::string line; std::getline(printed, line);) ++count;
  EXPECT_EQ(count, 22);
  EXPECT_NE(out_.str().find(ReadLines(f2())[4]), std::string::npos);      // seq 16, after the bad line
  EXPECT_NE(out_.str().find(ReadLines(active())[7]), std::string::npos);  // seq 29
  EXPECT_EQ(RunAuditSearch({dir_ / "nope.log"}, filter, true, out_, err_), 2);
}

TEST_F(AuditCommandTest, TailPrintsTheLastRecordsAcrossFiles) {
  EXPECT_EQ(RunAuditTail(active(), 3, false, out_, err_), 0);
  std::vector<std::string> a = ReadLines(active());
  EXPECT_EQ(out_.str(), Joined({a[6], a[7], a[8]}));
  // More than the active file holds: the end of the rotated file before it.
  std::ostringstream out;
  EXPECT_EQ(RunAuditTail(active(), 12, false, out, err_), 0);
  std::vector<std::string> b = ReadLines(f2());
  std::vector<std::string> want(b.end() - 3, b.end());
  want.insert(want.end(), a.begin(), a.end());
  EXPECT_EQ(out.str(), Joined(want));
  std::ostringstream all;
  EXPECT_EQ(RunAuditTail(active(), 1000, false, all, err_), 0);
  EXPECT_EQ(all.str(), audit::testing::ReadFile(f1()) + audit::testing::ReadFile(f2()) + audit::testing::ReadFile(active()));
  std::ostringstream none;
  EXPECT_EQ(RunAuditTail(active(), 0, false, none, err_), 0);
  EXPECT_EQ(none.str(), "");
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(RunAuditTail(dir_ / "missing/audit.log", 3, false, none, err_), 2);
  EXPECT_NE(err_.str().find("no audit log at"), std::string::npos);
}

TEST_F(AuditCommandTest, TailReportsBadLinesAndAWriteInProgress) {
  std::vector<std::string> lines = ReadLines(active());
  lines[7] = "garbage";
  WriteLines(active(), lines);
  std::ofstream(active(), std::ios::app) << R"({"seq":31,"prev":")";  // no '\n' yet
  EXPECT_EQ(RunAuditTail(active(), 3, false, out_, err_), 0);
  EXPECT_EQ(out_.str(), Joined({lines[6], lines[8]}));
  EXPECT_EQ(err_.str(), active() + ":8: not a valid record: not a complete record (it does not end with its hash)\n" +
                            active() + ":10: incomplete last record (the file was truncated or a write was cut off)\n");
}

TEST_F(AuditCommandTest, TailFollowsNewRecordsAcrossRotation) {
  std::atomic<bool> polling{false};
  std::vector<std::string> before = ReadLines(active());
  std::thread writer([&] {
    while (!polling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // A record arriving in two writes: tail must wait for its '\n'.
    audit::SealedRecord r = log_->SealNext("stop");
    {
      std::ofstream half(active(), std::ios::app);
      half << r.line.substr(0, 50);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    {
      std::ofstream rest(active(), std::ios::app);
      rest << r.line.substr(50);
    }
    log_->Requests(2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log_->Rotate();  // file_end, rename, new file with file_start
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log_->Requests(3);
  });
  AuditTailOptions options = Following(polling, 2 + 1 + 2 + 1 + 1 + 3);
  int rc = RunAuditTail(active(), 2, true, out_, err_, options);
  writer.join();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(err_.str(), "");
  std::vector<std::string> rotated = ReadLines(log_->rotated(3));
  std::vector<std::string> want(rotated.begin() + static_cast<long>(before.size()) - 2, rotated.end());
  for (const std::string& line : ReadLines(active())) want.push_back(line);
  ASSERT_EQ(want.size(), 10u);
  EXPECT_EQ(out_.str(), Joined(want));
}

// A running server's active file: records, then zeros that later records
// overwrite in place (audit/file_sink.h).
class ActiveFileWithReserve {
 public:
  explicit ActiveFileWithReserve(const std::string& path) : path_(path) {
    end_ = static_cast<off_t>(audit::testing::ReadFile(path).size());
    std::ofstream(path, std::ios::app | std::ios::binary) << std::string(8192, '\0');
  }
  // Writes over the zeros where the records end, as the file sink does.
  void Write(const std::string& bytes) {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(end_);
    f << bytes;
    end_ += static_cast<off_t>(bytes.size());
  }

 private:
  std::string path_;
  off_t end_ = 0;
};

TEST_F(AuditCommandTest, SearchAndTailStopWhereTheRecordsEnd) {
  const std::string records = audit::testing::ReadFile(active());
  ActiveFileWithReserve file(active());
  audit::RecordFilter filter;
  filter.kind = "request";
  EXPECT_EQ(RunAuditSearch(log_->files(), filter, true, out_, err_), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_NE(out_.str().find(ReadLines(active())[8]), std::string::npos);  // seq 30, the last record
  std::ostringstream tail;
  EXPECT_EQ(RunAuditTail(active(), 100, false, tail, err_), 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(tail.str(), audit::testing::ReadFile(f1()) + audit::testing::ReadFile(f2()) + records);
  // A record cut off where the zeros begin is a write in progress.
  file.Write(R"({"seq":31,"prev":")");
  std::ostringstream cut;
  EXPECT_EQ(RunAuditTail(active(), 1, false, cut, err_), 0);
  EXPECT_EQ(err_.str(), active() + ":10: incomplete last record (the file was truncated or a write was cut off)\n");
}

TEST_F(AuditCommandTest, TailFollowsRecordsWrittenOverTheZeros) {
  std::vector<std::string> before = ReadLines(active());
  ActiveFileWithReserve file(active());
  std::atomic<bool> polling{false};
  std::vector<std::string> written;
  std::thread writer([&] {
    while (!polling) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int i = 0; i < 3; ++i) {
      // Each record in two writes: tail must wait for its '\n'.
      std::string line = log_->SealNext("request").line;
      file.Write(line.substr(0, 40));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      file.Write(line.substr(40));
      written.push_back(line.substr(0, line.size() - 1));
    }
  });
  AuditTailOptions options = Following(polling, 2 + 3);
  int rc = RunAuditTail(active(), 2, true, out_, err_, options);
  writer.join();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(err_.str(), "");
  EXPECT_EQ(out_.str(), Joined({before[7], before[8], written[0], written[1], written[2]}));
}

}  // namespace
}  // namespace tessera::cli
