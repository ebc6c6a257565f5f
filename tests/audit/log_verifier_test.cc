#include "audit/log_verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "audit/log_files.h"
#include "audit/test_log.h"

namespace tessera::audit {
namespace {

using testing::ReadLines;
using testing::TempDir;
using testing::TestLog;
using testing::WriteLines;

// The record members of a line: between `"prev":"<hash>",` and `,"hash":`.
std::string FieldsOf(const std::string& line) {
  size_t start = line.find("\"prev\":\"") + 8 + 64 + 2;
  return line.substr(start, line.rfind(",\"hash\":\"") - start);
}

std::string HashOf(const std::string& line) {
  absl::StatusOr<OpenedRecord> r = OpenLine(line);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->hash : "";
}

std::string WithoutNewline(const SealedRecord& r) { return r.line.substr(0, r.line.size() - 1); }

std::unique_ptr<RecordSigner> Signer(const char* pem) {
  auto signer = RecordSigner::FromPem(pem);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return signer.ok() ? std::move(*signer) : nullptr;
}

VerifyReport Verify(const std::vector<std::string>& files, const VerifyOptions& options = {}) {
  absl::StatusOr<VerifyReport> report = VerifyLog(files, options);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : VerifyReport{};
}

// Asserts the report names exactly this record, with a reason containing `why`.
void ExpectFailure(const VerifyReport& report, const std::string& file, int64_t line, std::optional<int64_t> seq,
                   const std::string& why) {
  ASSERT_TRUE(report.failure.has_value()) << "the log verified";
  EXPECT_EQ(report.failure->file, file) << report.failure->ToString();
  EXPECT_EQ(report.failure->line, line) << report.failure->ToString();
  EXPECT_EQ(report.failure->seq, seq) << report.failure->ToString();
  EXPECT_NE(report.failure->reason.find(why), std::string::npos) << report.failure->ToString();
}

// The standard 3-file log (see TestLog::WriteStandard):
//   f1 = audit.log.000001 line i = seq i (1..11, file_end at 11)
//   f2 = audit.log.000002 line i = seq 11+i (12..21, file_end at 21)
//   active = audit.log    line i = seq 21+i (22..30)
class LogVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_ = Signer(testing::kTestSigningKeyPem);
    ASSERT_NE(signer_, nullptr);
    log_ = std::make_unique<TestLog>(dir_ / "audit", signer_.get());
    log_->WriteStandard();
    f1_ = log_->rotated(1);
    f2_ = log_->rotated(2);
    active_ = log_->active();
  }
  VerifyOptions Signed() const {
    VerifyOptions options;
    options.public_key_pem = signer_->public_pem();
    return options;
  }
  std::vector<std::string> All() const { return {f1_, f2_, active_}; }

  TempDir dir_;
  std::unique_ptr<RecordSigner> signer_;
  std::unique_ptr<TestLog> log_;
  std::string f1_, f2_, active_;
};

TEST_F(LogVerifierTest, AnIntactSignedLogVerifies) {
  EXPECT_EQ(ReadLines(f1_).size(), 11u);
  EXPECT_EQ(ReadLines(f2_).size(), 10u);
  EXPECT_EQ(ReadLines(active_).size(), 9u);
  VerifyReport report = Verify(All(), Signed());
  ASSERT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_EQ(report.records, 30);
  EXPECT_EQ(report.files, 3);
  EXPECT_EQ(report.first_seq, 1);
  EXPECT_EQ(report.last_seq, 30);
  EXPECT_EQ(report.last_hash, log_->head().hash);
  EXPECT_EQ(report.file_ends, 2);
  EXPECT_EQ(report.signatures_checked, 2);
  EXPECT_TRUE(report.key_given);
  EXPECT_FALSE(report.trusted_start.has_value());
}

TEST_F(LogVerifierTest, WithoutAKeySignaturesAreCountedNotChecked) {
  VerifyReport report = Verify(All());
  ASSERT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_FALSE(report.key_given);
  EXPECT_EQ(report.signatures_checked, 0);
  EXPECT_EQ(report.signatures_unchecked, 2);
}

TEST_F(LogVerifierTest, FilesInAnyOrderAreVerifiedInChainOrder) {
  for (std::vector<std::string> files : {std::vector<std::string>{active_, f2_, f1_}, {f2_, active_, f1_}}) {
    VerifyReport report = Verify(files, Signed());
    ASSERT_TRUE(report.ok()) << report.failure->ToString();
    EXPECT_EQ(report.records, 30);
    EXPECT_EQ(report.last_hash, log_->head().hash);
  }
}

TEST_F(LogVerifierTest, AnEditedFieldBreaksThatRecordsHash) {
  std::vector<std::string> lines = ReadLines(f2_);
  std::string& line = lines[3];  // seq 15
  size_t at = line.find("\"client\":\"127.0.0.1\"");
  ASSERT_NE(at, std::string::npos);
  line.replace(at, 20, "\"client\":\"10.9.9.9\"");
  WriteLines(f2_, lines);
  ExpectFailure(Verify(All()), f2_, 4, 15, "its hash does not match its content (the record was edited");
}

TEST_F(LogVerifierTest, AnEditedAndResealedRecordBreaksTheNextLink) {
  std::vector<std::string> lines = ReadLines(f2_);
  std::string fields = FieldsOf(lines[3]);  // seq 15
  size_t at = fields.find("\"status\":200");
  ASSERT_NE(at, std::string::npos);
  fields.replace(at, 12, "\"status\":500");
  lines[3] = WithoutNewline(Seal(ChainPoint{14, HashOf(lines[2])}, fields));
  WriteLines(f2_, lines);
  ExpectFailure(Verify(All()), f2_, 5, 16, "prev does not match the hash of record 15 (record 15 was replaced");
}

TEST_F(LogVerifierTest, ADeletedLineShowsAsASeqGapAtTheNextRecord) {
  std::vector<std::string> lines = ReadLines(f2_);
  lines.erase(lines.begin() + 3);  // seq 15
  WriteLines(f2_, lines);
  VerifyReport report = Verify(All());
  ExpectFailure(report, f2_, 4, 16, "seq 16 follows seq 14: record 15 is missing");
  EXPECT_EQ(report.failure->ToString(),
            f2_ + ":4 (seq 16): seq 16 follows seq 14: record 15 is missing here (lines were deleted or moved)");
}

TEST_F(LogVerifierTest, SwappedLinesShowAsASeqJumpAtTheFirstOfThePair) {
  std::vector<std::string> lines = ReadLines(active_);
  std::swap(lines[2], lines[3]);  // seq 24 and 25
  WriteLines(active_, lines);
  ExpectFailure(Verify(All()), active_, 3, 25, "seq 25 follows seq 23: record 24 is missing");
}

TEST_F(LogVerifierTest, AForgedLineThatDoesNotChainIsNamed) {
  std::vector<std::string> lines = ReadLines(f2_);
  std::string fields = FieldsOf(lines[4]);  // seq 16's members
  // Correctly hashed by itself, with the seq that belongs there, but its
  // prev cannot be the hash of record 15 without knowing it.
  std::string forged = WithoutNewline(Seal(ChainPoint{15, std::string(64, 'a')}, fields));
  ASSERT_TRUE(OpenLine(forged).ok());
  lines.insert(lines.begin() + 4, forged);
  WriteLines(f2_, lines);
  ExpectFailure(Verify(All()), f2_, 5, 16, "prev does not match the hash of record 15");
}

TEST_F(LogVerifierTest, AForgedLineThatChainsIsCaughtAtTheRecordItDisplaced) {
  std::vector<std::string> lines = ReadLines(f2_);
  std::string forged = WithoutNewline(Seal(ChainPoint{15, HashOf(lines[3])}, FieldsOf(lines[4])));
  lines.insert(lines.begin() + 4, forged);
  WriteLines(f2_, lines);
  ExpectFailure(Verify(All()), f2_, 6, 16, "seq 16 follows seq 16 (records are out of order or repeated");
}

TEST_F(LogVerifierTest, ATruncatedLastLineIsAnIncompleteRecord) {
  std::string text = testing::ReadFile(active_);
  testing::WriteFile(active_, text.substr(0, text.size() - 40));
  ExpectFailure(Verify(All()), active_, 9, 30,
                "incomplete last record (the file was truncated or a write was cut off)");
  // Even a line that is whole but for its '\n'.
  testing::WriteFile(active_, text.substr(0, text.size() - 1));
  ExpectFailure(Verify(All()), active_, 9, 30, "incomplete last record");
}

TEST_F(LogVerifierTest, TruncationAtALineBoundaryNeedsTheExpectedHead) {
  ChainPoint head = log_->head();
  std::vector<std::string> lines = ReadLines(active_);
  lines.resize(lines.size() - 2);  // seq 29 and 30 gone
  WriteLines(active_, lines);
  VerifyReport without = Verify(All());
  ASSERT_TRUE(without.ok()) << without.failure->ToString();  // indistinguishable from a shorter log
  EXPECT_EQ(without.last_seq, 28);

  VerifyOptions options;
  options.head = head;
  ExpectFailure(Verify(All(), options), active_, 7, 28,
                "the log ends at seq 28, expected 30: records 29..30 are missing (the log was truncated)");
}

TEST_F(LogVerifierTest, TheExpectedHeadMustMatchExactly) {
  VerifyOptions options;
  options.head = log_->head();
  EXPECT_TRUE(Verify(All(), options).ok());
  options.head->hash = std::string(64, 'b');
  ExpectFailure(Verify(All(), options), active_, 9, 30, "as expected, but with hash");
  options.head = ChainPoint{29, log_->head().hash};
  ExpectFailure(Verify(All(), options), active_, 9, 30, "the log ends at seq 30, expected 29");
}

TEST_F(LogVerifierTest, ARemovedMiddleFileIsASeqGapBetweenFiles) {
  ExpectFailure(Verify({f1_, active_}), active_, 1, 22,
                "the file starts at seq 22 but the file before it, " + f1_ +
                    ", ends at seq 11: records 12..21 are missing (a file was removed?)");
}

TEST_F(LogVerifierTest, ARotatedFileWithoutItsFileEndIsNamed) {
  std::vector<std::string> lines = ReadLines(f1_);
  lines.pop_back();  // seq 11, the file_end
  WriteLines(f1_, lines);
  ExpectFailure(Verify(All()), f1_, 10, 10, "the file ends without a file_end record though " + f2_ + " follows it");
}

TEST_F(LogVerifierTest, RecordsAfterAFileEndAreRefused) {
  std::vector<std::string> lines = ReadLines(f1_);
  // Chains correctly to the file_end, so only its position is wrong.
  lines.push_back(WithoutNewline(Seal(ChainPoint{11, HashOf(lines[10])}, FieldsOf(lines[5]))));
  WriteLines(f1_, lines);
  ExpectFailure(Verify(All()), f1_, 12, 12, "a record follows the file_end record at line 11");
}

TEST_F(LogVerifierTest, AFileMustBeginWithFileStart) {
  std::vector<std::string> lines = ReadLines(f2_);
  // Keep the chain intact: replace file_start (seq 12) by a request resealed in its place.
  lines[0] = WithoutNewline(Seal(ChainPoint{11, HashOf(ReadLines(f1_)[10])}, FieldsOf(lines[1])));
  for (size_t i = 1; i < lines.size(); ++i) {
    absl::StatusOr<OpenedRecord> before = OpenLine(lines[i - 1]);
    ASSERT_TRUE(before.ok());
    lines[i] = WithoutNewline(Seal(ChainPoint{before->seq, before->hash}, FieldsOf(lines[i])));
  }
  WriteLines(f2_, lines);
  ExpectFailure(Verify({f1_, f2_}), f2_, 1, 12, "the file does not begin with a file_start record");
}

TEST_F(LogVerifierTest, TwoSplicedLogsAreTold) {
  // Files of another, independent log with the same shape.
  TestLog other(dir_ / "other", signer_.get(), "someone");
  other.WriteStandard();
  // Its newest file after this log's rotated ones: seqs continue, hashes do not.
  ExpectFailure(Verify({f1_, f2_, other.active()}), other.active(), 1, 22,
                "prev does not match the hash of record 21, the last record of " + f2_ +
                    " (the files do not belong to the same chain");
  // Both logs' second files: they overlap.
  ExpectFailure(Verify({f1_, f2_, other.rotated(2), active_}), other.rotated(2), 1, 12,
                "the file starts at seq 12 but the file before it, " + f2_ + ", already reached seq 21 (the files overlap");
  // The other log's first file appended to this one's active file.
  std::vector<std::string> lines = ReadLines(active_);
  for (const std::string& line : ReadLines(other.rotated(1))) lines.push_back(line);
  WriteLines(active_, lines);
  ExpectFailure(Verify(All()), active_, 10, 1, "a new log starts here (seq 1 with the genesis hash after seq 30)");
}

TEST_F(LogVerifierTest, AFileEndSignedByAnotherKeyIsRefused) {
  std::unique_ptr<RecordSigner> other_key = Signer(testing::kOtherSigningKeyPem);
  ASSERT_NE(other_key, nullptr);
  ASSERT_NE(other_key->key_id(), signer_->key_id());
  TestLog forged(dir_ / "forged", other_key.get());
  forged.WriteStandard();
  VerifyReport report = Verify(forged.files(), Signed());
  ExpectFailure(report, forged.rotated(1), 11, 11,
                "the file_end record is signed by key " + other_key->key_id() + ", not by the given key " +
                    signer_->key_id());
  // Verified with its own key, it passes: the check is the key, not the log.
  VerifyOptions own;
  own.public_key_pem = other_key->public_pem();
  EXPECT_TRUE(Verify(forged.files(), own).ok());
}

TEST_F(LogVerifierTest, AFileEndThatClaimsTheKeyButWasSignedByAnotherIsRefused) {
  std::unique_ptr<RecordSigner> other_key = Signer(testing::kOtherSigningKeyPem);
  ASSERT_NE(other_key, nullptr);
  std::vector<std::string> lines = ReadLines(f1_);
  ChainPoint before{10, HashOf(lines[9])};
  std::string fields = RecordFields().Str("time", "2026-12-05T14:00:11.123456Z").Str("kind", "file_end").Int("file", 1)
                           .Str("key_id", signer_->key_id()).Str("signature", other_key->Sign(before)).Take();
  lines[10] = WithoutNewline(Seal(before, fields));
  WriteLines(f1_, lines);
  ExpectFailure(Verify(All(), Signed()), f1_, 11, 11, "the file_end signature does not verify with the given key");
}

TEST_F(LogVerifierTest, AnUnsignedLogFailsWhenAKeyIsGiven) {
  TestLog unsigned_log(dir_ / "unsigned");
  unsigned_log.WriteStandard();
  EXPECT_TRUE(Verify(unsigned_log.files()).ok());
  ExpectFailure(Verify(unsigned_log.files(), Signed()), unsigned_log.rotated(1), 11, 11,
                "the file_end record has no signature but a public key was given");
}

TEST_F(LogVerifierTest, StartAnywhereAcceptsALogWhoseOldestFilesWereRemoved) {
  ExpectFailure(Verify({f2_, active_}), f2_, 1, 12, "the log starts at seq 12, not 1 (records 1..11 are missing");
  VerifyOptions options = Signed();
  options.start_anywhere = true;
  VerifyReport report = Verify({active_, f2_}, options);
  ASSERT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_EQ(report.first_seq, 12);
  EXPECT_EQ(report.records, 19);
  ASSERT_TRUE(report.trusted_start.has_value());
  EXPECT_EQ(report.trusted_start->seq, 11);
  EXPECT_EQ(report.trusted_start->hash, HashOf(ReadLines(f1_)[10]));
  EXPECT_EQ(report.signatures_checked, 1);
  // It trusts the first link only: everything after it is checked.
  std::vector<std::string> lines = ReadLines(f2_);
  lines.erase(lines.begin() + 5);  // seq 17
  WriteLines(f2_, lines);
  ExpectFailure(Verify({f2_, active_}, options), f2_, 6, 18, "seq 18 follows seq 16: record 17 is missing");
}

TEST_F(LogVerifierTest, AnEmptyFileOrAGarbageFirstLineIsNamed) {
  testing::WriteFile(active_, "");
  ExpectFailure(Verify(All()), active_, 0, std::nullopt, "the file is empty");
  testing::WriteFile(active_, "hello\n");
  ExpectFailure(Verify(All()), active_, 1, std::nullopt, "not a valid record");
}

// A running (or crashed) server's active file is zero-filled after its
// records (file_sink.h).
TEST_F(LogVerifierTest, TheZerosAfterTheActiveFilesRecordsAreNotRecords) {
  const std::string text = testing::ReadFile(active_);
  testing::WriteFile(active_, text + std::string(1 << 16, '\0'));
  VerifyReport report = Verify(All(), Signed());
  ASSERT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_EQ(report.records, 30);
  EXPECT_EQ(report.last_seq, 30);
  // A record cut off where the zeros begin is incomplete, as at the end of
  // a file.
  testing::WriteFile(active_, text.substr(0, text.size() - 40) + std::string(4096, '\0'));
  ExpectFailure(Verify(All()), active_, 9, 30, "incomplete last record");
  // Zeros only: a file with no record yet.
  testing::WriteFile(active_, std::string(4096, '\0'));
  ExpectFailure(Verify(All()), active_, 0, std::nullopt, "the file is empty");
}

TEST_F(LogVerifierTest, BytesAfterTheZerosAreNamed) {
  const std::string text = testing::ReadFile(active_);
  std::vector<std::string> lines = ReadLines(active_);
  // A record hidden behind zeros, where no reader that stops at the records'
  // end would see it.
  testing::WriteFile(active_, text + std::string(100, '\0') + lines.back() + "\n");
  ExpectFailure(Verify(All()), active_, 10, std::nullopt, "bytes after a NUL byte");
  // A hole of zeros inside the records.
  std::string holed = text;
  holed.replace(holed.find(lines[4]), 10, std::string(10, '\0'));
  testing::WriteFile(active_, holed);
  ExpectFailure(Verify(All()), active_, 5, std::nullopt, "bytes after a NUL byte");
}

TEST_F(LogVerifierTest, UnusableArgumentsAreErrorsNotFailures) {
  EXPECT_FALSE(VerifyLog({}, {}).ok());
  EXPECT_EQ(VerifyLog({f1_, dir_ / "missing.log"}, {}).status().code(), absl::StatusCode::kNotFound);
  VerifyOptions bad_key;
  bad_key.public_key_pem = testing::kTestSigningKeyPem;  // a private key is refused
  EXPECT_EQ(VerifyLog(All(), bad_key).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ChainVerifier, TakesBytesFileByFile) {
  TempDir dir;
  TestLog log(dir / "audit");
  log.WriteStandard();
  ChainVerifier verifier;
  for (const std::string& file : log.files()) verifier.AddFile(file, testing::ReadFile(file));
  verifier.Finish(log.head());
  ASSERT_TRUE(verifier.ok()) << verifier.report().failure->ToString();
  EXPECT_EQ(verifier.report().records, 30);

  ChainVerifier reversed;
  for (int i = 2; i >= 0; --i) reversed.AddFile(log.files()[i], testing::ReadFile(log.files()[i]));
  reversed.Finish();
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.report().failure->file, log.active());  // fed in the wrong order, it says so
  EXPECT_NE(reversed.report().failure->reason.find("the log starts at seq 22, not 1"), std::string::npos);
}

TEST(ParseChainPoint, ReadsSeqColonHash) {
  std::string hash(64, 'c');
  absl::StatusOr<ChainPoint> point = ParseChainPoint("1203:" + hash);
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_EQ(point->seq, 1203);
  EXPECT_EQ(point->hash, hash);
  for (std::string bad : {std::string("1203"), "0:" + hash, "-1:" + hash, "x:" + hash, "12:" + hash.substr(1),
                          "12:" + std::string(64, 'C'), ":" + hash, "99999999999999999999:" + hash}) {
    EXPECT_FALSE(ParseChainPoint(bad).ok()) << bad;
  }
}

TEST(ClaimedSeq, ReadsOnlyTheFixedHead) {
  EXPECT_EQ(ClaimedSeq(R"({"seq":42,"prev":"x")"), 42);
  EXPECT_EQ(ClaimedSeq(R"({"seq":9223372036854775807,)"), INT64_MAX);
  EXPECT_EQ(ClaimedSeq(R"({"seq":9223372036854775808,)"), std::nullopt);
  EXPECT_EQ(ClaimedSeq(R"({"seq":042,)"), std::nullopt);
  EXPECT_EQ(ClaimedSeq(R"({"seq":42)"), std::nullopt);
  EXPECT_EQ(ClaimedSeq(R"({ "seq":42,)"), std::nullopt);
  EXPECT_EQ(ClaimedSeq(""), std::nullopt);
}

TEST(ListLogFiles, RotatedFilesInNumberOrderThenTheActiveFile) {
  TempDir dir;
  for (const char* name : {"audit.log", "audit.log.000002", "audit.log.000010", "audit.log.000001", "audit.log.0000003",
                           "audit.log.12", "audit.log.000004.gz", "audit.log.bak", "other.log.000001"}) {
    testing::WriteFile(dir / name, "x\n");
  }
  std::filesystem::create_directories(dir.path() / "audit.log.000005");  // a folder is not a log file
  absl::StatusOr<std::vector<std::string>> files = ListLogFiles(dir / "audit.log");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, (std::vector<std::string>{dir / "audit.log.000001", dir / "audit.log.000002",
                                              dir / "audit.log.0000003", dir / "audit.log.000010",
                                              dir / "audit.log"}));
  std::filesystem::remove(dir / "audit.log");
  files = ListLogFiles(dir / "audit.log");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->back(), dir / "audit.log.000010");

  absl::StatusOr<std::vector<std::string>> none = ListLogFiles(dir / "missing/audit.log");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find(dir / "missing/audit.log"), std::string::npos);
}

}  // namespace
}  // namespace tessera::audit
