#pragma once
// What the audit log says about one API request. The stages fill it in as
// the request passes (who, which tenant, the query as received and as
// rewritten, the policies, the SQL's fingerprint, rows, cache), and the
// responder turns it into the record's members when the answer is ready.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace tessera::api {

class RequestRecord {
 public:
  RequestRecord() : started_(std::chrono::steady_clock::now()) {}

  // The queries as received are kept up to this size (a truncated one is
  // marked so): the log must not be a way to fill the disk.
  static constexpr size_t kMaxQueryBytes = 64 << 10;

  std::string request_id, client, method, endpoint;
  std::string issuer, subject, tenant, token_ref;
  std::vector<std::string> roles;
  std::string query;  // as received (GET's query parameter or the POST body)
  // How the request was answered, as record members
  // (`"rewritten":…,"policies":…,"sql":…,"rows":…`), built by Outcome() or
  // taken from the response cache entry of an earlier identical request.
  std::string work;
  std::string cache;  // "hit", "miss" or "" (no cache involved)
  // Policies that took part, e.g. "access_policy:Orders", "api_scopes".
  std::vector<std::string> policies;

  // A refusal: outcome from the status's code, reason from its internal
  // reason. `outcome` overrides ("invalid" for a token that did not verify).
  void Refused(const absl::Status& status, const char* outcome = nullptr);

  // The record's members for the response status `http_status`, built in
  // `buffer`'s memory (a per-thread buffer saves an allocation per request).
  std::string Fields(int http_status, std::string buffer = {}) const;

  // `work` from the parts; `rewritten_json` is a JSON array text (or empty).
  static std::string Work(const std::string& rewritten_json, const std::vector<std::string>& policies,
                          const std::vector<std::string>& sql_fingerprints, std::optional<int64_t> rows);

 private:
  std::chrono::steady_clock::time_point started_;
  std::string outcome_;
  std::string reason_;
};

// "sha256:<32 hex>" of the SQL and its parameters: the same statement with
// the same values has the same fingerprint, without the values in the log.
std::string SqlFingerprint(const std::string& sql, const std::vector<std::string>& params);

}  // namespace tessera::api
