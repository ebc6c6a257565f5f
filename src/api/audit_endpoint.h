#pragma once
// GET /cubejs-api/v1/audit: the audit log's records for investigators,
// filtered like `tessera audit search` (subject, tenant, outcome, kind, since,
// until; limit). Only callers whose role has the `audit` API scope
// (TESSERA_API_SCOPES="auditor:audit") get here, and an auditor of a tenant
// sees only that tenant's records.
#include <string>

#include "absl/status/statusor.h"
#include "audit/chain.h"
#include "http/http_types.h"

namespace tessera::api {

inline constexpr int kDefaultAuditLimit = 100;
inline constexpr int kMaxAuditLimit = 1000;

// The body: {"head":{"seq":N,"hash":"…"},"records":[…the newest `limit`
// matching records, oldest first…]}, `head` being the last durable record.
// `only_tenant` (when not empty) restricts the answer to that tenant's
// records. Reads the files: call it on a worker thread.
absl::StatusOr<std::string> SearchAuditLog(const std::string& log_path, const http::Request& request,
                                           const std::string& only_tenant, const audit::ChainPoint& head);

}  // namespace tessera::api
