#include "api/request_record.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/record_fields.h"
#include "base/internal_reason.h"

namespace tessera::api {

void RequestRecord::Refused(const absl::Status& status, const char* outcome) {
  if (outcome != nullptr) {
    outcome_ = outcome;
  } else {
    switch (status.code()) {
      case absl::StatusCode::kPermissionDenied:
      case absl::StatusCode::kUnauthenticated:
        outcome_ = "denied";
        break;
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kResourceExhausted:
        outcome_ = "invalid";
        break;
      default:
        outcome_ = "error";
    }
  }
  reason_ = InternalReason(status);
}

std::string RequestRecord::Work(const std::string& rewritten_json, const std::vector<std::string>& policies,
                                const std::vector<std::string>& sql_fingerprints, std::optional<int64_t> rows) {
  audit::RecordFields f;
  if (rewritten_json.empty()) {
    f.Null("rewritten");
  } else {
    f.Raw("rewritten", rewritten_json);
  }
  f.StrList("policies", policies).StrList("sql", sql_fingerprints);
  if (rows) {
    f.Int("rows", *rows);
  } else {
    f.Null("rows");
  }
  return f.Take();
}

std::string RequestRecord::Fields(int http_status, std::string buffer) const {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
  buffer.reserve(640 + std::min(query.size(), kMaxQueryBytes) + work.size());
  audit::RecordFields f(std::move(buffer));
  f.TimeNow("time")
      .Str("kind", "request")
      .Str("request_id", request_id)
      .Str("client", client)
      .Str("method", method)
      .Str("endpoint", endpoint)
      .StrOrNull("issuer", issuer)
      .StrOrNull("subject", subject)
      .StrOrNull("tenant", tenant)
      .StrList("roles", roles)
      .StrOrNull("token", token_ref);
  if (query.size() > kMaxQueryBytes) {
    f.Str("query", std::string_view(query).substr(0, kMaxQueryBytes)).Bool("query_truncated", true);
  } else {
    f.StrOrNull("query", query);
  }
  if (work.empty()) {
    f.Members(Work("", policies, {}, std::nullopt));
  } else {
    f.Members(work);
  }
  f.StrOrNull("cache", cache).Millis("duration_ms", micros.count()).Int("status", http_status);
  // Without a refusal on record the HTTP status tells: a 2xx was allowed.
  std::string_view outcome = outcome_;
  if (outcome.empty()) {
    outcome = http_status < 300 ? "allowed" : http_status == 403 ? "denied" : http_status < 500 ? "invalid" : "error";
  }
  f.Str("outcome", outcome).StrOrNull("reason", reason_);
  return f.Take();
}

std::string SqlFingerprint(const std::string& sql, const std::vector<std::string>& params) {
  std::string all = sql;
  for (const std::string& p : params) {
    all += '\0';
    all += p;
  }
  return absl::StrCat("sha256:", audit::HexSha256(all).substr(0, 32));
}

}  // namespace tessera::api
