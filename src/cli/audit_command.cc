// `tessera audit verify | tail | search`: the offline side of the audit log
// (src/audit/README.md). verify judges integrity and stops at the first bad
// record; tail and search are for people reading the log, so a bad line is
// reported and skipped rather than ending the run.
#include <fstream>
#include <ostream>
#include <thread>

#include <boost/json/serialize.hpp>

#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/log_files.h"
#include "audit/log_tail.h"
#include "audit/table_verifier.h"
#include "cli/commands.h"

namespace tessera::cli {
namespace {

std::string Plural(int64_t n, std::string_view word) {
  return absl::StrCat(n, " ", absl::string_view(word.data(), word.size()), n == 1 ? "" : "s");
}

// A member as one word for the readable search output: "-" when absent or
// null, strings without quotes (control characters escaped, so a record
// cannot forge extra output lines), anything else as JSON.
std::string Shown(const boost::json::object& fields, std::string_view name) {
  const boost::json::value* v = fields.if_contains(boost::json::string_view(name.data(), name.size()));
  if (v == nullptr || v->is_null()) return "-";
  if (!v->is_string()) return boost::json::serialize(*v);
  std::string out;
  for (char c : v->as_string()) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      absl::StrAppend(&out, "\\x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    } else {
      out += c;
    }
  }
  return out.empty() ? "\"\"" : out;
}

std::string Readable(const audit::OpenedRecord& record) {
  const boost::json::object& f = record.fields;
  std::string line = absl::StrCat("seq ", record.seq, " ", Shown(f, "time"), " ", Shown(f, "kind"));
  if (f.contains("outcome") || f.contains("status")) absl::StrAppend(&line, " ", Shown(f, "outcome"), " ", Shown(f, "status"));
  if (f.contains("subject") || f.contains("tenant")) {
    absl::StrAppend(&line, " subject=", Shown(f, "subject"), " tenant=", Shown(f, "tenant"));
  }
  if (f.contains("endpoint")) absl::StrAppend(&line, " ", Shown(f, "method"), " ", Shown(f, "endpoint"));
  const boost::json::value* reason = f.if_contains("reason");
  if (reason != nullptr && !reason->is_null()) absl::StrAppend(&line, " reason: ", Shown(f, "reason"));
  return line;
}

void ReportBadLine(std::ostream& err, const std::string& file, int64_t line, std::string_view why) {
  err << file << ":" << line << ": " << why << "\n";
}

// Prints one line read by tail: a valid record on `out`, anything else on
// `err`. Returns whether a record was printed.
bool EmitTailLine(const audit::LogLine& line, std::ostream& out, std::ostream& err) {
  switch (line.what) {
    case audit::LogLine::What::kTruncated:
      err << line.file << ": the file got shorter (truncated or replaced); reading it again from the start\n";
      return false;
    case audit::LogLine::What::kIncomplete:
      ReportBadLine(err, line.file, line.line, "incomplete last record (the file was truncated or a write was cut off)");
      return false;
    case audit::LogLine::What::kLine:
      break;
  }
  absl::StatusOr<audit::OpenedRecord> record = audit::OpenLine(line.text);
  if (!record.ok()) {
    ReportBadLine(err, line.file, line.line, absl::StrCat("not a valid record: ", record.status().message()));
    return false;
  }
  out << line.text << "\n";
  return true;
}

}  // namespace

namespace {

int PrintVerification(const absl::StatusOr<audit::VerifyReport>& report, const audit::VerifyOptions& options,
                      std::ostream& out, std::ostream& err) {
  if (!report.ok()) {
    err << "tessera audit verify: " << report.status().message() << "\n";
    return 2;
  }
  if (report->failure) {
    out << "FAILED: " << report->failure->ToString() << "\n";
    return 1;
  }
  out << "OK: " << Plural(report->records, "record") << " in " << Plural(report->files, "file") << " (seq "
      << report->first_seq << ".." << report->last_seq << "), last hash " << report->last_hash << "; ";
  if (report->key_given) {
    out << Plural(report->signatures_checked, "file signature") << " checked";
  } else {
    out << "file signatures not checked (no --public-key; " << report->signatures_unchecked << " present)";
  }
  out << "\n";
  if (report->trusted_start) {
    out << "note: checked from seq " << report->first_seq << " on; its link to record " << report->trusted_start->seq
        << " (hash " << report->trusted_start->hash << ") was taken on trust (--start-anywhere)\n";
  }
  if (options.head) out << "note: the log ends at the expected head (seq " << options.head->seq << ")\n";
  return 0;
}

}  // namespace

int RunAuditVerify(const std::vector<std::string>& files, const audit::VerifyOptions& options, std::ostream& out,
                   std::ostream& err) {
  return PrintVerification(audit::VerifyLog(files, options), options, out, err);
}

int RunAuditVerifyTable(const std::string& conninfo, const std::string& table, const audit::VerifyOptions& options,
                        std::ostream& out, std::ostream& err) {
  return PrintVerification(audit::VerifyAuditTable(conninfo, table, options), options, out, err);
}

int RunAuditTail(const std::string& path, int64_t n, bool follow, std::ostream& out, std::ostream& err,
                 const AuditTailOptions& options) {
  audit::LogTail tail(path);
  absl::StatusOr<std::vector<audit::LogLine>> last = tail.Last(n);
  if (!last.ok()) {
    err << "tessera audit tail: " << last.status().message() << "\n";
    return 2;
  }
  int64_t printed = 0;
  auto done = [&] { return options.max_records > 0 && printed >= options.max_records; };
  for (const audit::LogLine& line : *last) {
    if (EmitTailLine(line, out, err)) ++printed;
  }
  out.flush();
  if (!follow) {
    // The server may be writing it right now; say so rather than hide it.
    if (std::optional<audit::LogLine> partial = tail.Partial()) EmitTailLine(*partial, out, err);
    return 0;
  }
  while (!done() && !(options.stop && options.stop())) {
    std::vector<audit::LogLine> lines = tail.Poll();
    for (const audit::LogLine& line : lines) {
      if (done()) break;
      if (EmitTailLine(line, out, err)) ++printed;
    }
    if (!lines.empty()) {
      out.flush();
      continue;  // more may be waiting: poll again before sleeping
    }
    std::this_thread::sleep_for(options.poll_interval);
  }
  return 0;
}

int RunAuditSearch(const std::vector<std::string>& files, const audit::RecordFilter& filter, bool json_output,
                   std::ostream& out, std::ostream& err) {
  absl::StatusOr<std::vector<audit::LogFileHead>> heads = audit::ReadInChainOrder(files);
  if (!heads.ok()) {
    err << "tessera audit search: " << heads.status().message() << "\n";
    return 2;
  }
  int64_t matched = 0;
  for (const audit::LogFileHead& head : *heads) {
    std::ifstream in(head.path, std::ios::binary);
    if (!in) {
      err << "tessera audit search: cannot read " << head.path << "\n";
      return 2;
    }
    std::string text;
    for (int64_t number = 1; std::getline(in, text); ++number) {
      // The records end at the first NUL byte: the file sink's unused space.
      if (size_t nul = text.find('\0'); nul != std::string::npos) {
        if (nul > 0) ReportBadLine(err, head.path, number, "incomplete last record (a write was cut off)");
        break;
      }
      if (in.eof()) {
        ReportBadLine(err, head.path, number, "incomplete last record (the file was truncated or a write was cut off)");
        break;
      }
      absl::StatusOr<audit::OpenedRecord> record = audit::OpenLine(text);
      if (!record.ok()) {
        ReportBadLine(err, head.path, number, absl::StrCat("not a valid record: ", record.status().message()));
        continue;
      }
      if (!filter.Matches(*record)) continue;
      ++matched;
      out << (json_output ? text : Readable(*record)) << "\n";
    }
  }
  return matched > 0 ? 0 : 1;
}

}  // namespace tessera::cli
