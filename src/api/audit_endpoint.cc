#include "api/audit_endpoint.h"

#include <deque>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/log_files.h"
#include "audit/record_filter.h"
#include "base/user_error.h"

namespace tessera::api {
namespace {

absl::Status FilterParam(const http::Request& request, const char* name, std::optional<std::string>& into) {
  if (const std::string* v = request.QueryParam(name)) into = *v;
  return absl::OkStatus();
}

absl::Status TimeParam(const http::Request& request, const char* name, std::optional<absl::Time>& into) {
  const std::string* v = request.QueryParam(name);
  if (v == nullptr) return absl::OkStatus();
  absl::StatusOr<absl::Time> t = audit::ParseFilterTime(*v);
  if (!t.ok()) return UserError(absl::StrCat("'", name, "': ", std::string(t.status().message())));
  into = *t;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SearchAuditLog(const std::string& log_path, const http::Request& request,
                                           const std::string& only_tenant, const audit::ChainPoint& head) {
  audit::RecordFilter filter;
  FilterParam(request, "subject", filter.subject).IgnoreError();
  FilterParam(request, "tenant", filter.tenant).IgnoreError();
  FilterParam(request, "outcome", filter.outcome).IgnoreError();
  FilterParam(request, "kind", filter.kind).IgnoreError();
  if (absl::Status s = TimeParam(request, "since", filter.since); !s.ok()) return s;
  if (absl::Status s = TimeParam(request, "until", filter.until); !s.ok()) return s;
  if (!only_tenant.empty()) {
    if (filter.tenant && *filter.tenant != only_tenant) return UserError("An auditor sees only the records of its own tenant");
    filter.tenant = only_tenant;
  }
  int limit = kDefaultAuditLimit;
  if (const std::string* v = request.QueryParam("limit")) {
    if (!absl::SimpleAtoi(absl::string_view(v->data(), v->size()), &limit) || limit < 1 || limit > kMaxAuditLimit) {
      return UserError(absl::StrCat("'limit' must be a number from 1 to ", kMaxAuditLimit));
    }
  }
  absl::StatusOr<std::vector<std::string>> files = audit::ListLogFiles(log_path);
  if (!files.ok()) return absl::UnavailableError(std::string(files.status().message()));
  // The newest matches are the ones kept: an investigator starts from now.
  std::deque<std::string> kept;
  for (const std::string& file : *files) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      absl::StatusOr<audit::OpenedRecord> record = audit::OpenLine(line);
      if (!record.ok() || !filter.Matches(*record)) continue;
      kept.push_back(std::move(line));
      if (kept.size() > static_cast<size_t>(limit)) kept.pop_front();
    }
  }
  std::string body = absl::StrCat("{\"head\":{\"seq\":", head.seq, ",\"hash\":\"", head.hash, "\"},\"records\":[");
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i) body += ',';
    body += kept[i];
  }
  body += "]}";
  return body;
}

}  // namespace tessera::api
