#pragma once
// The audit log's PostgreSQL sink: sealed records as rows of one
// append-only table (schema in pg_schema.h), so investigators can query
// them with SQL while `tessera audit verify --postgres` rehashes the chain.
//
// Append-only, so it cannot Rollback: the AuditLog keeps it last. Every
// Append is one transaction that is durable on disk (synchronous_commit on)
// before it returns OK. Another writer on the same table is detected, never
// merged: the first record's prev must be the chain end this sink last saw,
// and the table's UNIQUE(seq), UNIQUE(prev) refuse a fork that races it.
//
// Not thread-safe: the AuditLog calls its sinks from one writer.
//
// In production the sink should not own the table: an administrator creates
// it (AuditTableScript prints the SQL) and gives Tessera a role that can add
// and read records and nothing else, so that not even a compromised server
// can rewrite history (it is not the owner, so it cannot drop the table or
// switch the append-only trigger off either):
//
//   CREATE ROLE tessera_audit_writer LOGIN PASSWORD '...';
//   -- as the owner, after running AuditTableScript for audit.tessera_audit:
//   REVOKE ALL ON audit.tessera_audit FROM PUBLIC;
//   GRANT USAGE ON SCHEMA audit TO tessera_audit_writer;
//   GRANT SELECT, INSERT ON audit.tessera_audit TO tessera_audit_writer;
//
// Open() checks that the table exists before creating anything, so this role
// needs no CREATE right. src/audit/README.md has the whole recipe.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/audit_sink.h"
#include "audit/chain.h"
#include "audit/pg_schema.h"
#include "audit/pg_session.h"

namespace tessera::audit {

struct PostgresAuditSinkOptions {
  // libpq keyword/value string or postgresql:// URL. It may hold a password:
  // it never appears in a message, a log line or Describe().
  std::string conninfo;
  // A table name, optionally schema-qualified (AuditTableName::Parse).
  std::string table = "tessera_audit";
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{10000};  // 0: none
};

class PostgresAuditSink final : public AuditSink {
 public:
  // InvalidArgument for a bad table name or a connection string libpq
  // cannot parse. Does not connect: Open() does.
  static absl::StatusOr<std::unique_ptr<PostgresAuditSink>> Create(PostgresAuditSinkOptions options);

  // "postgresql table tessera_audit".
  std::string Describe() const override;

  // (Re)connects, creates the table when missing, and returns the chain end:
  // the row with the highest seq, whose line must open (OpenLine) and match
  // its seq and hash columns; DataLoss naming the seq otherwise.
  absl::StatusOr<ChainPoint> Open() override;

  // FailedPrecondition when not open, when the batch does not continue the
  // chain end this sink knows, or when another writer got there first;
  // InvalidArgument for a batch that is not consecutive sealed records;
  // Unavailable when the connection broke (then Open() reconnects: a COMMIT
  // whose answer was lost shows in the chain end Open() returns).
  absl::Status Append(absl::Span<const SealedRecord> batch) override;

  // Always FailedPrecondition: the table is append-only.
  absl::Status Rollback() override;

  absl::StatusOr<std::vector<SealedRecord>> RecordsAfter(int64_t seq, size_t limit) override;

 private:
  PostgresAuditSink(PostgresAuditSinkOptions options, AuditTableName table)
      : options_(std::move(options)), table_(std::move(table)) {}
  absl::Status Insert(absl::Span<const SealedRecord> batch, const std::vector<std::vector<std::string>>& rows);

  PostgresAuditSinkOptions options_;
  AuditTableName table_;
  std::unique_ptr<PgAuditSession> session_;
  // The chain end as of the last Open or Append; unset until Open succeeds
  // and after a failed write, whose outcome only Open can tell.
  std::optional<ChainPoint> end_;
};

// One row of the audit table, every column as text; `time` in the records'
// own form (UTC, microseconds: "2026-12-06T03:44:30.883562Z").
struct AuditTableRow {
  std::string seq, prev, hash, time, kind;
  std::string line;  // without a newline
};

// Reads every row of `table` in seq order, in pages, passing each to
// `each`; stops at the first error `each` returns. NotFound when the table
// does not exist. For `tessera audit verify --postgres`.
absl::Status ReadAuditTableRows(const std::string& conninfo, const std::string& table,
                                const std::function<absl::Status(const AuditTableRow& row)>& each);
// The same, passing only each stored line.
absl::Status ReadAuditTable(const std::string& conninfo, const std::string& table,
                            const std::function<absl::Status(std::string_view line)>& each);

}  // namespace tessera::audit
