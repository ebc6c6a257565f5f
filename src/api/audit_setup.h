#pragma once
// Opens the audit log `tessera serve` records every API request in, from the
// settings: the local file (TESSERA_AUDIT_LOG), optionally a PostgreSQL
// table, an optional signing key; and writes its `start` record.
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>

#include "absl/status/statusor.h"
#include "audit/audit_log.h"
#include "config/settings.h"

namespace tessera::api {

// Null (and OK) when the audit log is off. A chain that cannot be continued
// safely is an error; a sink that cannot be written yet is not (the log starts
// unhealthy and keeps trying, and /readyz says so). `open_connections`: the
// server's count of its connections, for group commit (may be null).
absl::StatusOr<std::shared_ptr<audit::AuditLog>> OpenAuditLog(
    const config::Settings& settings, int cube_count, std::ostream& console,
    std::shared_ptr<const std::atomic<int64_t>> open_connections = nullptr);

// The active file's path (TESSERA_AUDIT_LOG, relative to the base folder).
std::string AuditLogPath(const config::Settings& settings);

// The `stop` record's members.
std::string StopRecordFields();

}  // namespace tessera::api
