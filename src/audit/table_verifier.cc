#include "audit/table_verifier.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/log_files.h"
#include "audit/pg_sink.h"
#include "audit/record_signer.h"

namespace tessera::audit {
namespace {

// Whether a stored line is a file_start record, read from its fixed head
// (`{"seq":N,"prev":"…","time":"…","kind":"file_start"`); the verifier checks
// the record itself.
bool StartsASegment(std::string_view line) {
  return line.substr(0, 200).find(",\"kind\":\"file_start\"") != std::string_view::npos;
}

// The hash covers only `line`; the other columns are what investigators
// query (seq, time, kind), so each must say what the line says. Names the
// first that does not; nothing for a line that does not open (the chain
// check reports that).
std::optional<std::string> ColumnThatDiffers(const AuditTableRow& row) {
  absl::StatusOr<OpenedRecord> r = OpenLine(row.line);
  if (!r.ok()) return std::nullopt;
  auto text = [&](const char* member) -> std::string {
    const boost::json::value* v = r->fields.if_contains(member);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  const std::pair<const char*, std::pair<const std::string*, std::string>> columns[] = {
      {"seq", {&row.seq, std::to_string(r->seq)}},
      {"prev", {&row.prev, r->prev}},
      {"hash", {&row.hash, r->hash}},
      {"time", {&row.time, text("time")}},
      {"kind", {&row.kind, text("kind")}},
  };
  for (const auto& [name, values] : columns) {
    if (*values.first != values.second) {
      // Values left out: a column's text is whatever someone wrote there.
      return absl::StrCat("the row's ", name, " column differs from its line's: the table was altered");
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<VerifyReport> VerifyAuditTable(const std::string& conninfo, const std::string& table,
                                              const VerifyOptions& options) {
  std::unique_ptr<SignatureChecker> checker;
  if (options.public_key_pem) {
    absl::StatusOr<std::unique_ptr<SignatureChecker>> made = SignatureChecker::FromPem(*options.public_key_pem);
    if (!made.ok()) return made.status();
    checker = *std::move(made);
  }
  ChainVerifier verifier(checker.get(), options.start_anywhere);
  bool open = false;
  absl::Status read = ReadAuditTableRows(conninfo, table, [&](const AuditTableRow& row) {
    const std::string_view line = row.line;
    if (!open || StartsASegment(line)) {
      if (open) verifier.EndFile();
      std::optional<int64_t> seq = ClaimedSeq(line);
      verifier.BeginFile(absl::StrCat("table ", table, " from seq ", seq ? *seq : 0));
      open = true;
    }
    verifier.AddLine(line, /*terminated=*/true);
    if (std::optional<std::string> differs = ColumnThatDiffers(row)) {
      verifier.FailLastLine(ClaimedSeq(line), *differs);
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!open) return absl::NotFoundError(absl::StrCat("the table ", table, " holds no record"));
  verifier.EndFile();
  verifier.Finish(options.head);
  return verifier.report();
}

}  // namespace tessera::audit
