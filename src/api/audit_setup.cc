#include "api/audit_setup.h"

#include <unistd.h>

#include <filesystem>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/file_sink.h"
#include "audit/pg_schema.h"
#include "audit/pg_sink.h"
#include "audit/record_fields.h"
#include "audit/record_signer.h"

namespace tessera::api {

std::string AuditLogPath(const config::Settings& settings) {
  std::filesystem::path file(settings.audit_file);
  if (file.is_relative() && !settings.base_dir.empty()) file = std::filesystem::path(settings.base_dir) / file;
  return file.lexically_normal().string();
}

absl::StatusOr<std::shared_ptr<audit::AuditLog>> OpenAuditLog(const config::Settings& settings, int cube_count,
                                                              std::ostream& console,
                                                              std::shared_ptr<const std::atomic<int64_t>> open_connections) {
  if (settings.audit_file == "off") {
    console << "Audit log: off (TESSERA_AUDIT_LOG=off): requests are not recorded\n";
    return std::shared_ptr<audit::AuditLog>();
  }
  audit::FileSinkOptions file_options;
  file_options.path = AuditLogPath(settings);
  file_options.rotate_bytes = settings.audit_rotate_bytes;
  file_options.rotate_age = std::chrono::seconds(settings.audit_rotate_seconds);

  audit::AuditLogOptions options;
  options.on_failure = settings.audit_refuse ? audit::OnFailure::kRefuse : audit::OnFailure::kWarn;
  options.commit_delay = std::chrono::microseconds(settings.audit_commit_delay_us);
  options.open_connections = open_connections;
  if (!settings.audit_signing_key_file.empty()) {
    absl::StatusOr<std::unique_ptr<audit::RecordSigner>> signer =
        audit::RecordSigner::FromPemFile(settings.audit_signing_key_file);
    if (!signer.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Audit signing key (TESSERA_AUDIT_SIGNING_KEY): ", std::string(signer.status().message())));
    }
    options.signer = *std::move(signer);
  }
  std::vector<std::unique_ptr<audit::AuditSink>> others;
  if (!settings.audit_postgres_url.empty()) {
    // After the file: an append-only table cannot take a batch back, so it
    // is the last sink asked to store one.
    audit::PostgresAuditSinkOptions pg;
    pg.conninfo = settings.audit_postgres_url;
    if (absl::StatusOr<audit::AuditTableName> table = audit::AuditTableName::Parse(settings.audit_postgres_table);
        !table.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Audit log (TESSERA_AUDIT_POSTGRES_TABLE): ", std::string(table.status().message())));
    }
    pg.table = settings.audit_postgres_table;
    absl::StatusOr<std::unique_ptr<audit::PostgresAuditSink>> sink = audit::PostgresAuditSink::Create(pg);
    if (!sink.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Audit log (TESSERA_AUDIT_POSTGRES_URL): ", std::string(sink.status().message())));
    }
    others.push_back(*std::move(sink));
  }
  auto log = std::make_shared<audit::AuditLog>(std::move(options),
                                               std::make_unique<audit::FileSink>(file_options), std::move(others));
  audit::RecordFields start;
  start.Str("time", audit::RecordTime())
      .Str("kind", "start")
      .Int("pid", ::getpid())
      .Str("mode", settings.dev_mode ? "development" : "production")
      .Str("config", absl::StrCat("sha256:", audit::HexSha256(settings.config_text).substr(0, 32)))
      .Str("model", settings.schema_path)
      .Int("cubes", cube_count)
      .StrList("sinks", log->SinkNames())
      .Str("on_failure", settings.audit_refuse ? "refuse" : "warn");
  absl::Status started = log->Start(start.Take());
  if (!started.ok()) return absl::Status(started.code(), absl::StrCat("Audit log: ", std::string(started.message())));
  audit::AuditHealth health = log->Health();
  console << "Audit log: " << file_options.path << (health.healthy ? "" : " (NOT WRITABLE: " + health.problem + ")")
          << ", continuing the chain at seq " << health.head.seq + 1 << "\n";
  return log;
}

std::string StopRecordFields() {
  return audit::RecordFields().Str("time", audit::RecordTime()).Str("kind", "stop").Int("pid", ::getpid()).Take();
}

}  // namespace tessera::api
