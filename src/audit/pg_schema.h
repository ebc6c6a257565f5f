#pragma once
// The PostgreSQL audit table: its name, the SQL that creates it, and the
// check-then-create that PostgresAuditSink::Open runs.
//
// The table name comes from configuration and becomes SQL text (an
// identifier cannot be a bound parameter), so it is accepted only as a plain
// identifier, optionally schema-qualified, and always written double-quoted.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/pg_session.h"

namespace tessera::audit {

class AuditTableName {
 public:
  // "tessera_audit" or "audit.tessera_audit". Each part must match
  // ^[A-Za-z_][A-Za-z0-9_]*$; the schema may have 63 characters (PostgreSQL's
  // limit), the table 48, so that the names of its indexes and trigger
  // (table + "_subject_idx", ...) are never truncated into each other's.
  // InvalidArgument otherwise, without echoing the name.
  static absl::StatusOr<AuditTableName> Parse(std::string_view name);

  // As configured: "audit.tessera_audit".
  const std::string& plain() const { return plain_; }
  // For SQL: "audit"."tessera_audit" (case kept as written).
  std::string Quoted() const;
  // "audit"."tessera_audit<suffix>": objects that belong to the table.
  std::string QuotedSibling(std::string_view suffix) const;
  // "tessera_audit<suffix>" unqualified: index names (an index always lives
  // in its table's schema).
  std::string QuotedLocal(std::string_view suffix) const;

 private:
  std::string schema_;  // empty: the first schema of the search_path
  std::string table_;
  std::string plain_;
};

// The statements that create the table, its indexes and its append-only
// trigger; every one is idempotent (IF NOT EXISTS / OR REPLACE), so an
// administrator can run them as a script (AuditTableScript) and Open() can
// run them when the table is missing. Needs PostgreSQL 14 or later.
std::vector<std::string> AuditTableStatements(const AuditTableName& table);
std::string AuditTableScript(const AuditTableName& table);

// Creates the table unless it exists. Existence is checked first, so a
// writer role with only INSERT and SELECT (no CREATE on the schema) opens a
// table an administrator made. Two sinks creating it at once are serialised
// by a transaction-scoped advisory lock.
absl::Status EnsureAuditTable(PgAuditSession& session, const AuditTableName& table);

// Whether the table exists (visible to the session).
absl::StatusOr<bool> AuditTableExists(PgAuditSession& session, const AuditTableName& table);

}  // namespace tessera::audit
