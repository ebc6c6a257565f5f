#include "audit/table_verifier.h"

#include <memory>

#include "absl/strings/str_cat.h"
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
  absl::Status read = ReadAuditTable(conninfo, table, [&](std::string_view line) {
    if (!open || StartsASegment(line)) {
      if (open) verifier.EndFile();
      std::optional<int64_t> seq = ClaimedSeq(line);
      verifier.BeginFile(absl::StrCat("table ", table, " from seq ", seq ? *seq : 0));
      open = true;
    }
    verifier.AddLine(line, /*terminated=*/true);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!open) return absl::NotFoundError(absl::StrCat("the table ", table, " holds no record"));
  verifier.EndFile();
  verifier.Finish(options.head);
  return verifier.report();
}

}  // namespace tessera::audit
