#pragma once
// Checks an audit log offline (`tessera audit verify`): every record opens
// (its hash matches its bytes), seqs count up by one, every prev is the hash
// of the record before, every file starts with a file_start record and every
// file but the newest ends with a file_end record, whose signature is checked
// when a public key is given. The report names the first record where the
// log stops being what the server wrote, with the likeliest reason.
//
// ChainVerifier takes the log file by file, line by line, so that the same
// checks run on files, on bytes from a fuzzer and on test data; VerifyLog
// reads files from disk into it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/chain.h"
#include "audit/record_signer.h"

namespace tessera::audit {

// The first bad record: where it is and what is wrong with it.
struct VerifyFailure {
  std::string file;
  int64_t line = 0;            // 1-based; 0: the file as a whole
  std::optional<int64_t> seq;  // the seq the line claims, when readable
  std::string reason;
  // "audit/audit.log:17 (seq 1203): prev does not match …"
  std::string ToString() const;
};

struct VerifyReport {
  std::optional<VerifyFailure> failure;  // none: the log verified
  int64_t records = 0;
  int64_t files = 0;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  std::string last_hash;
  int64_t file_ends = 0;             // file_end records seen
  int64_t signatures_checked = 0;    // file_end signatures verified with the key
  int64_t signatures_unchecked = 0;  // signatures present but no key given
  bool key_given = false;
  // With start_anywhere, when the first record is not seq 1: the point its
  // prev names, which the check had to take on trust.
  std::optional<ChainPoint> trusted_start;
  bool ok() const { return !failure.has_value(); }
};

class ChainVerifier {
 public:
  // `checker` (may be null: signatures are then not checked) must outlive
  // the verifier. With `start_anywhere` the first record may have any seq
  // and its prev is taken on trust (a log whose oldest files were removed).
  explicit ChainVerifier(const SignatureChecker* checker = nullptr, bool start_anywhere = false);

  // Files come in chain order, oldest first.
  void BeginFile(std::string name);
  // One line of the current file without its '\n'; `terminated` tells
  // whether the '\n' was there (only a file's last line can lack it).
  void AddLine(std::string_view line, bool terminated);
  // The line just added is bad for a reason found outside it (a database
  // column that disagrees with it); reported there unless a problem was
  // found before.
  void FailLastLine(std::optional<int64_t> seq, std::string reason) { FailHere(seq, std::move(reason)); }
  // BeginFile, AddLine for every line of `text`, EndFile.
  void AddFile(std::string name, std::string_view text);
  void EndFile();
  // After the last file. With `head`, the log must end exactly there: a log
  // cut at a line boundary is otherwise indistinguishable from a short one.
  void Finish(const std::optional<ChainPoint>& head = std::nullopt);

  bool ok() const { return !report_.failure.has_value(); }
  const VerifyReport& report() const { return report_; }

 private:
  void Fail(std::string file, int64_t line, std::optional<int64_t> seq, std::string reason);
  void FailHere(std::optional<int64_t> seq, std::string reason) {
    Fail(file_, line_, seq, std::move(reason));
  }
  // The chain checks of one record against the one before it.
  void CheckLink(const OpenedRecord& record);
  void CheckFileEnd(const OpenedRecord& record);

  const SignatureChecker* checker_;
  bool start_anywhere_;
  VerifyReport report_;
  bool in_file_ = false;
  std::string file_;
  int64_t line_ = 0;          // lines read in the current file
  int64_t file_records_ = 0;  // records accepted in the current file
  bool file_closed_ = false;  // the current file's file_end was read
  ChainPoint last_;           // the last accepted record
  std::string last_kind_;
  std::string last_file_;     // where the last accepted record is
  int64_t last_line_ = 0;
};

struct VerifyOptions {
  std::optional<std::string> public_key_pem;  // Ed25519 public key (SPKI PEM)
  std::optional<ChainPoint> head;
  bool start_anywhere = false;
};

// Verifies the log made of `files` (any order: they are put in chain order
// by the seq of their first record). An error status only when the check
// cannot be made (no files, an unreadable file, an unusable key); a log that
// fails verification is a report with a failure.
absl::StatusOr<VerifyReport> VerifyLog(const std::vector<std::string>& files, const VerifyOptions& options);

// "SEQ:HASH" (as `verify --head` takes it, e.g. from the server's log or a
// monitoring system that recorded where the chain stood).
absl::StatusOr<ChainPoint> ParseChainPoint(std::string_view text);

}  // namespace tessera::audit
