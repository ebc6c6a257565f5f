// Feeds arbitrary bytes to the offline readers of the audit log as one or
// two log files (split at the first form feed, which no record line can
// hold: JSON escapes control characters): ChainVerifier with and without a
// public key, --start-anywhere and --head; OpenLine, ClaimedSeq and
// RecordFilter::Matches on every line; the parsers of --since and --head.
// Nothing may crash, hang, leak or throw, and a log that verifies must be
// the unbroken chain the report describes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "audit/chain.h"
#include "audit/log_files.h"
#include "audit/log_verifier.h"
#include "audit/record_filter.h"
#include "audit/record_signer.h"

namespace {

using namespace tessera::audit;

// The public half of the fixed test key (tests/audit/test_log.h) that signs
// the seed corpus, so the signature checks are reached.
const SignatureChecker* Checker() {
  static const SignatureChecker* checker = [] {
    auto signer = RecordSigner::FromPem(
        "-----BEGIN PRIVATE KEY-----\n"
        "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
        "-----END PRIVATE KEY-----\n");
    if (!signer.ok()) __builtin_trap();
    auto made = SignatureChecker::FromPem((*signer)->public_pem());
    if (!made.ok()) __builtin_trap();
    return made->release();
  }();
  return checker;
}

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void VerifyOnce(const std::vector<std::string_view>& files, const SignatureChecker* checker, bool start_anywhere,
                const std::optional<ChainPoint>& head) {
  ChainVerifier verifier(checker, start_anywhere);
  for (size_t i = 0; i < files.size(); ++i) verifier.AddFile(i == 0 ? "a.log" : "b.log", files[i]);
  verifier.Finish(head);
  const VerifyReport& r = verifier.report();
  if (!r.ok()) {
    Check(!r.failure->ToString().empty());
    return;
  }
  Check(r.records > 0);
  Check(r.files == static_cast<int64_t>(files.size()));
  Check(r.last_seq - r.first_seq + 1 == r.records);
  Check(start_anywhere || r.first_seq == 1);
  Check(r.signatures_checked <= r.file_ends);
  Check(checker == nullptr || r.signatures_checked == r.file_ends);
  Check(r.file_ends >= static_cast<int64_t>(files.size()) - 1);
  if (head) Check(r.last_seq == head->seq && r.last_hash == head->hash);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> files;
  size_t split = text.find('\f');
  if (split == std::string_view::npos) {
    files = {text};
  } else {
    files = {text.substr(0, split), text.substr(split + 1)};
  }
  VerifyOnce(files, nullptr, false, std::nullopt);
  VerifyOnce(files, Checker(), false, std::nullopt);
  VerifyOnce(files, nullptr, true, std::nullopt);

  RecordFilter everything;
  RecordFilter narrow;
  narrow.subject = "alice";
  narrow.tenant = "acme";
  narrow.outcome = "denied";
  narrow.kind = "request";
  narrow.since = absl::FromUnixSeconds(1796428800);
  narrow.until = absl::FromUnixSeconds(1796515200);
  std::optional<ChainPoint> last;
  for (std::string_view file : files) {
    size_t at = 0;
    while (at <= file.size()) {
      size_t nl = file.find('\n', at);
      std::string_view line = file.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
      absl::StatusOr<OpenedRecord> record = OpenLine(line);
      std::optional<int64_t> claimed = ClaimedSeq(line);
      if (record.ok()) {
        // The head OpenLine checked is the one ClaimedSeq reads.
        Check(claimed == record->seq);
        Check(everything.Matches(*record));
        (void)narrow.Matches(*record);
        (void)RecordTimeOf(*record);
        last = ChainPoint{record->seq, record->hash};
      }
      if (nl == std::string_view::npos) break;
      at = nl + 1;
    }
  }
  // A head the log may really end at: where the last readable record is.
  if (last) VerifyOnce(files, Checker(), true, last);

  std::string_view first = text.substr(0, std::min<size_t>(text.find('\n'), 100));
  (void)ParseFilterTime(first);
  (void)ParseChainPoint(first);
  return 0;
}
