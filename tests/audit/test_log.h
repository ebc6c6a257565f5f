#pragma once
// Writes realistic audit logs for tests, the way the server does: a chain of
// sealed records in audit/audit.log, rotated into audit.log.000001, … with
// file_start / file_end records (file_end optionally signed), plus helpers
// to read and rewrite files line by line for tampering.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "audit/chain.h"
#include "audit/record_fields.h"
#include "audit/record_signer.h"

namespace tessera::audit::testing {

// A fixed Ed25519 key (RFC 8032 test 1's secret, PKCS#8), as in chain_test.cc.
inline constexpr const char* kTestSigningKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
// Another one (RFC 8032 test 2's secret), the "wrong key".
inline constexpr const char* kOtherSigningKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
    "-----END PRIVATE KEY-----\n";

// A fresh temporary folder, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tessera-audit-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The lines of a file without their '\n' (a last line without one is kept).
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline void WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
  WriteFile(path, text);
}

// Writes a log like the server: records appended to `<dir>/audit.log`,
// Rotate() closes it with file_end and renames it to audit.log.NNNNNN.
class TestLog {
 public:
  // `signer` (may be null: file_end carries null key_id/signature) must
  // outlive the log. `subject_prefix` makes independent logs differ.
  explicit TestLog(std::string dir, const RecordSigner* signer = nullptr, std::string subject_prefix = "user")
      : dir_(std::move(dir)), signer_(signer), subject_prefix_(std::move(subject_prefix)) {
    std::filesystem::create_directories(dir_);
    StartFile();
  }

  std::string active() const { return dir_ + "/audit.log"; }
  std::string rotated(int number) const { return absl::StrFormat("%s/audit.log.%06d", dir_, number); }
  // Every file, oldest first.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (int i = 1; i < file_; ++i) out.push_back(rotated(i));
    out.push_back(active());
    return out;
  }
  const ChainPoint& head() const { return head_; }
  int file_number() const { return file_; }

  // A request record as the server writes it.
  void Request(std::string_view subject, std::string_view tenant, std::string_view outcome, int status,
               std::string_view reason = "") {
    RecordFields f = Begin("request");
    f.Str("request_id", absl::StrCat("req-", head_.seq + 1))
        .Str("client", "127.0.0.1")
        .Str("method", "POST")
        .Str("endpoint", "/cubejs-api/v1/load")
        .Str("issuer", "https://issuer.example")
        .StrOrNull("subject", subject)
        .StrOrNull("tenant", tenant)
        .StrList("roles", {"analyst"})
        .Str("token", "jti:abc123")
        .Raw("query", R"({"measures":["Orders.count"],"limit":10})")
        .Null("rewritten")
        .StrList("policies", {"tenant-rows"})
        .StrList("sql", {"SELECT count(*) FROM orders WHERE tenant_id = $1"});
    if (outcome == "allowed") {
      f.Int("rows", 1).Str("cache", "miss");
    } else {
      f.Null("rows").Null("cache");
    }
    f.Millis("duration_ms", 1234).Int("status", status).Str("outcome", outcome).StrOrNull("reason", reason);
    Append(f.text());
  }
  // `n` requests from alternating subjects and tenants.
  void Requests(int n) {
    for (int i = 0; i < n; ++i) {
      bool denied = (head_.seq % 4) == 3;
      Request(absl::StrCat(subject_prefix_, i % 2 == 0 ? "-alice" : "-bob"), i % 3 == 0 ? "acme" : "globex",
              denied ? "denied" : "allowed", denied ? 403 : 200, denied ? "member Orders.secret is denied" : "");
    }
  }
  void Event(std::string_view kind) { Append(Begin(kind).Str("version", "0.9").text()); }
  // Seals the next record without writing it: the caller writes it (say,
  // in two pieces, like a write caught half-way).
  SealedRecord SealNext(std::string_view kind) {
    SealedRecord r = Seal(head_, Begin(kind).Str("version", "0.9").text());
    head_ = ChainPoint{r.seq, r.hash};
    return r;
  }

  // Closes the active file with a (signed) file_end and renames it.
  void Rotate() {
    RecordFields f = Begin("file_end");
    f.Int("file", file_);
    if (signer_ != nullptr) {
      f.Str("key_id", signer_->key_id()).Str("signature", signer_->Sign(head_));
    } else {
      f.Null("key_id").Null("signature");
    }
    Append(f.text());
    std::filesystem::rename(active(), rotated(file_));
    ++file_;
    StartFile();
  }

  // The standard test log: 3 files, 30 records.
  //   audit.log.000001: seq 1 file_start, 2 start, 3..10 requests, 11 file_end
  //   audit.log.000002: seq 12 file_start, 13..20 requests, 21 file_end
  //   audit.log:        seq 22 file_start, 23..30 requests
  void WriteStandard() {
    Event("start");
    Requests(8);
    Rotate();
    Requests(8);
    Rotate();
    Requests(8);
  }

 private:
  RecordFields Begin(std::string_view kind) {
    RecordFields f;
    // One record per second from a fixed instant: realistic and stable.
    absl::Time t = absl::FromUnixSeconds(1796479200) + absl::Seconds(head_.seq) + absl::Microseconds(123456);
    f.Str("time", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone())).Str("kind", kind);
    return f;
  }
  void StartFile() {
    RecordFields f = Begin("file_start");
    f.Int("file", file_);
    if (file_ > 1) {
      f.Str("previous_file", absl::StrFormat("audit.log.%06d", file_ - 1));
    } else {
      f.Null("previous_file");
    }
    Append(f.text());
  }
  void Append(std::string_view fields) {
    SealedRecord r = Seal(head_, fields);
    std::ofstream(active(), std::ios::binary | std::ios::app) << r.line;
    head_ = ChainPoint{r.seq, r.hash};
  }

  std::string dir_;
  const RecordSigner* signer_;
  std::string subject_prefix_;
  int file_ = 1;
  ChainPoint head_;
};

}  // namespace tessera::audit::testing
