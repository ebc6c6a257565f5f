#include "audit/log_verifier.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "audit/log_files.h"

namespace tessera::audit {
namespace {

// "record 7" or "records 7..9": what a seq gap lost.
std::string MissingRange(int64_t from, int64_t to) {
  if (from == to) return absl::StrCat("record ", from, " is");
  return absl::StrCat("records ", from, "..", to, " are");
}

const boost::json::string* StringMember(const boost::json::object& fields, std::string_view name) {
  const boost::json::value* v = fields.if_contains(boost::json::string_view(name.data(), name.size()));
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

std::string Str(const boost::json::string& s) { return std::string(s.data(), s.size()); }

// Why a line does not open, for people: OpenLine's reasons say what is
// wrong, this adds the likeliest cause.
std::string OpenFailureReason(const absl::Status& status) {
  std::string message(status.message());
  if (message == "its hash does not match its content") {
    return absl::StrCat(message, " (the record was edited after it was written)");
  }
  return absl::StrCat("not a valid record: ", message, " (the line was damaged, edited or added by hand)");
}

}  // namespace

std::string VerifyFailure::ToString() const {
  std::string out = file;
  if (line > 0) absl::StrAppend(&out, ":", line);
  if (seq) absl::StrAppend(&out, " (seq ", *seq, ")");
  absl::StrAppend(&out, ": ", reason);
  return out;
}

ChainVerifier::ChainVerifier(const SignatureChecker* checker, bool start_anywhere)
    : checker_(checker), start_anywhere_(start_anywhere) {
  report_.key_given = checker != nullptr;
}

void ChainVerifier::Fail(std::string file, int64_t line, std::optional<int64_t> seq, std::string reason) {
  if (report_.failure) return;  // only the first problem is reported
  report_.failure = VerifyFailure{std::move(file), line, seq, std::move(reason)};
}

void ChainVerifier::BeginFile(std::string name) {
  if (in_file_) EndFile();
  in_file_ = true;
  file_ = std::move(name);
  line_ = 0;
  file_records_ = 0;
  file_closed_ = false;
  ++report_.files;
  // A file followed by a newer one was rotated, and rotation always ends a
  // file with file_end: without it, the file lost its last records.
  if (ok() && report_.records > 0 && last_kind_ != "file_end") {
    Fail(last_file_, last_line_, last_.seq,
         absl::StrCat("the file ends without a file_end record though ", file_,
                      " follows it (its last records were removed, or it is not the file before ", file_, ")"));
  }
}

void ChainVerifier::EndFile() {
  if (!in_file_) return;
  in_file_ = false;
  if (ok() && line_ == 0) Fail(file_, 0, std::nullopt, "the file is empty (every log file starts with a file_start record)");
}

void ChainVerifier::AddFile(std::string name, std::string_view text) {
  BeginFile(std::move(name));
  size_t at = 0;
  while (at < text.size() && ok()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) {
      AddLine(text.substr(at), false);
      break;
    }
    AddLine(text.substr(at, nl - at), true);
    at = nl + 1;
  }
  EndFile();
}

void ChainVerifier::AddLine(std::string_view line, bool terminated) {
  if (!in_file_) BeginFile("(unnamed)");
  if (!ok()) return;
  // The active file has zero-filled space after its records (file_sink.h):
  // they end at the first NUL byte, which no record contains, and only
  // zeros may follow it.
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) {
    if (terminated || line.find_first_not_of('\0', nul) != std::string_view::npos) {
      ++line_;
      FailHere(ClaimedSeq(line), "bytes after a NUL byte, where the records end and only zeros may follow (the file "
                                 "was altered, or a crash left a hole that the server cuts off when it next starts)");
      return;
    }
    line = line.substr(0, nul);
    if (line.empty()) return;  // the unused space, not a line
  }
  ++line_;
  // The server writes whole lines; a last line without its '\n' is a write
  // that was cut off or a file cut short, even if what remains would open.
  if (!terminated) {
    FailHere(ClaimedSeq(line), "incomplete last record (the file was truncated or a write was cut off)");
    return;
  }
  absl::StatusOr<OpenedRecord> record = OpenLine(line);
  if (!record.ok()) {
    FailHere(ClaimedSeq(line), OpenFailureReason(record.status()));
    return;
  }
  if (file_closed_) {
    FailHere(record->seq, absl::StrCat("a record follows the file_end record at line ", last_line_,
                                       " (records were added to a closed file, or files were joined)"));
    return;
  }
  CheckLink(*record);
  if (!ok()) return;
  const boost::json::string* kind = StringMember(record->fields, "kind");
  std::string kind_text = kind != nullptr ? Str(*kind) : "";
  if (file_records_ == 0 && kind_text != "file_start") {
    FailHere(record->seq, "the file does not begin with a file_start record (its first records were removed)");
    return;
  }
  if (file_records_ > 0 && kind_text == "file_start") {
    FailHere(record->seq, "a file_start record in the middle of a file (files were joined)");
    return;
  }
  if (kind_text == "file_end") {
    CheckFileEnd(*record);
    if (!ok()) return;
    file_closed_ = true;
  }
  if (report_.records == 0) report_.first_seq = record->seq;
  ++report_.records;
  ++file_records_;
  last_ = ChainPoint{record->seq, record->hash};
  last_kind_ = std::move(kind_text);
  last_file_ = file_;
  last_line_ = line_;
}

void ChainVerifier::CheckLink(const OpenedRecord& record) {
  const int64_t seq = record.seq;
  const bool genesis = record.prev == kGenesisHash;
  if (report_.records == 0) {
    if (seq == 1 && !genesis) {
      FailHere(seq, "record 1 does not start from the genesis hash (it is not the first record of a log)");
    } else if (seq != 1 && !start_anywhere_) {
      FailHere(seq, absl::StrCat("the log starts at seq ", seq, ", not 1 (", MissingRange(1, seq - 1),
                                 " missing: older files were removed? --start-anywhere checks from here on)"));
    } else if (seq != 1) {
      report_.trusted_start = ChainPoint{seq - 1, record.prev};
    }
    return;
  }
  const int64_t before = last_.seq;
  if (seq != before + 1) {
    if (seq == 1 && genesis) {
      FailHere(seq, absl::StrCat("a new log starts here (seq 1 with the genesis hash after seq ", before,
                                 "): two logs were spliced together, or the log was restarted from scratch"));
    } else if (file_records_ == 0 && seq > before) {
      FailHere(seq, absl::StrCat("the file starts at seq ", seq, " but the file before it, ", last_file_, ", ends at seq ",
                                 before, ": ", MissingRange(before + 1, seq - 1), " missing (a file was removed?)"));
    } else if (file_records_ == 0) {
      FailHere(seq, absl::StrCat("the file starts at seq ", seq, " but the file before it, ", last_file_,
                                 ", already reached seq ", before,
                                 " (the files overlap: a file was copied, or files of two logs were mixed)"));
    } else if (seq > before) {
      FailHere(seq, absl::StrCat("seq ", seq, " follows seq ", before, ": ", MissingRange(before + 1, seq - 1),
                                 " missing here (lines were deleted or moved)"));
    } else {
      FailHere(seq, absl::StrCat("seq ", seq, " follows seq ", before,
                                 " (records are out of order or repeated: lines were moved, copied or inserted)"));
    }
    return;
  }
  if (record.prev != last_.hash) {
    if (file_records_ == 0) {
      FailHere(seq, absl::StrCat("prev does not match the hash of record ", before, ", the last record of ", last_file_,
                                 " (the files do not belong to the same chain: logs were spliced or a file replaced)"));
    } else {
      FailHere(seq, absl::StrCat("prev does not match the hash of record ", before, " (record ", before,
                                 " was replaced, or a record was deleted, inserted or reordered before it)"));
    }
  }
}

void ChainVerifier::CheckFileEnd(const OpenedRecord& record) {
  ++report_.file_ends;
  const boost::json::string* signature = StringMember(record.fields, "signature");
  if (checker_ == nullptr) {
    if (signature != nullptr) ++report_.signatures_unchecked;
    return;
  }
  if (signature == nullptr) {
    FailHere(record.seq, "the file_end record has no signature but a public key was given "
                         "(the file was closed without a signing key, or the signature was removed)");
    return;
  }
  const boost::json::string* key_id = StringMember(record.fields, "key_id");
  if (key_id == nullptr || *key_id != boost::json::string_view(checker_->key_id())) {
    FailHere(record.seq, absl::StrCat("the file_end record is signed by key ", key_id ? Str(*key_id) : "(none)",
                                      ", not by the given key ", checker_->key_id()));
    return;
  }
  // The signature covers the record before file_end, which commits to the
  // whole chain up to it (its prev was checked against that record).
  if (!checker_->Verify(ChainPoint{record.seq - 1, record.prev}, std::string_view(signature->data(), signature->size()))) {
    FailHere(record.seq, "the file_end signature does not verify with the given key "
                         "(the signature was forged, or the records it covers were rewritten)");
    return;
  }
  ++report_.signatures_checked;
}

void ChainVerifier::Finish(const std::optional<ChainPoint>& head) {
  if (in_file_) EndFile();
  if (!ok()) return;
  if (report_.records > 0) {
    report_.last_seq = last_.seq;
    report_.last_hash = last_.hash;
  }
  if (!head) return;
  if (report_.records == 0) {
    Fail(file_, 0, std::nullopt, absl::StrCat("the log has no records, expected it to end at seq ", head->seq));
  } else if (last_.seq < head->seq) {
    Fail(last_file_, last_line_, last_.seq,
         absl::StrCat("the log ends at seq ", last_.seq, ", expected ", head->seq, ": ",
                      MissingRange(last_.seq + 1, head->seq), " missing (the log was truncated)"));
  } else if (last_.seq > head->seq) {
    Fail(last_file_, last_line_, last_.seq,
         absl::StrCat("the log ends at seq ", last_.seq, ", expected ", head->seq,
                      " (records were written after the expected head was taken)"));
  } else if (last_.hash != head->hash) {
    Fail(last_file_, last_line_, last_.seq,
         absl::StrCat("the log ends at seq ", last_.seq, " as expected, but with hash ", last_.hash, ", not ", head->hash,
                      " (the log was rewritten or replaced)"));
  }
}

absl::StatusOr<VerifyReport> VerifyLog(const std::vector<std::string>& files, const VerifyOptions& options) {
  if (files.empty()) return absl::InvalidArgumentError("no audit log files to verify");
  std::unique_ptr<SignatureChecker> checker;
  if (options.public_key_pem) {
    absl::StatusOr<std::unique_ptr<SignatureChecker>> made = SignatureChecker::FromPem(*options.public_key_pem);
    if (!made.ok()) return absl::InvalidArgumentError(absl::StrCat("the public key: ", made.status().message()));
    checker = std::move(*made);
  }
  absl::StatusOr<std::vector<LogFileHead>> heads = ReadInChainOrder(files);
  if (!heads.ok()) return heads.status();
  ChainVerifier verifier(checker.get(), options.start_anywhere);
  // A file whose first line has no readable seq (or no line at all) cannot
  // be put in order: report it rather than guess where it belongs.
  for (const LogFileHead& head : *heads) {
    if (head.first_seq) continue;
    std::ifstream in(head.path, std::ios::binary);
    std::string first;
    verifier.BeginFile(head.path);
    if (std::getline(in, first)) verifier.AddLine(first, !in.eof());
    verifier.EndFile();
    VerifyReport report = verifier.report();
    if (!report.failure) {
      // Cannot happen (OpenLine needs the head ClaimedSeq reads), but never
      // pass a log that was not checked.
      report.failure = VerifyFailure{head.path, 1, std::nullopt, "the first line has no readable seq"};
    }
    return report;
  }
  for (const LogFileHead& head : *heads) {
    std::ifstream in(head.path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", head.path, ": ", std::strerror(errno)));
    verifier.BeginFile(head.path);
    std::string line;
    while (verifier.ok() && std::getline(in, line)) {
      // getline sets eof only when the line ran into the end of the file,
      // i.e. it had no '\n'.
      verifier.AddLine(line, !in.eof());
    }
    if (in.bad()) return absl::DataLossError(absl::StrCat("error reading ", head.path, ": ", std::strerror(errno)));
    verifier.EndFile();
    if (!verifier.ok()) break;
  }
  verifier.Finish(options.head);
  return verifier.report();
}

absl::StatusOr<ChainPoint> ParseChainPoint(std::string_view text) {
  auto invalid = [&] {
    return absl::InvalidArgumentError(absl::StrCat("invalid chain point \"", absl::string_view(text.data(), text.size()),
                                                   "\": expected SEQ:HASH, e.g. 1203:<64 lower-case hex digits>"));
  };
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return invalid();
  std::string line = absl::StrCat("{\"seq\":", absl::string_view(text.data(), colon), ",");
  std::optional<int64_t> seq = ClaimedSeq(line);
  std::string_view hash = text.substr(colon + 1);
  if (!seq || hash.size() != 64) return invalid();
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return invalid();
  }
  return ChainPoint{*seq, std::string(hash)};
}

}  // namespace tessera::audit
