#include "audit/pg_schema.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tessera::audit {
namespace {

constexpr size_t kMaxSchemaLength = 63;
constexpr size_t kMaxTableLength = 48;

// Why `part` (a schema or table name) is not accepted, or nullptr. The
// message never quotes it: it is configuration that may be mistyped into
// something else (a connection string, a password).
const char* IdentifierProblem(std::string_view part, size_t max_length) {
  if (part.empty()) return "has an empty part";
  if (part.size() > max_length) return "has a part that is too long";
  if (absl::ascii_isdigit(static_cast<unsigned char>(part[0]))) return "has a part that starts with a digit";
  for (char c : part) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return "contains a character other than an ASCII letter, digit, '_' or one '.'";
    }
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<AuditTableName> AuditTableName::Parse(std::string_view name) {
  AuditTableName out;
  const size_t dot = name.find('.');
  std::string_view schema = dot == std::string_view::npos ? std::string_view() : name.substr(0, dot);
  std::string_view table = dot == std::string_view::npos ? name : name.substr(dot + 1);
  const char* problem = IdentifierProblem(table, kMaxTableLength);
  if (problem == nullptr && dot != std::string_view::npos) problem = IdentifierProblem(schema, kMaxSchemaLength);
  if (problem != nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the PostgreSQL audit table name ", problem, " (it must be a table name of at most ",
        kMaxTableLength, " characters, optionally after a schema name and a '.', each matching "
        "^[A-Za-z_][A-Za-z0-9_]*$)"));
  }
  out.schema_ = std::string(schema);
  out.table_ = std::string(table);
  out.plain_ = std::string(name);
  return out;
}

// Safe to wrap in double quotes as they are: Parse allowed no quote.
std::string AuditTableName::Quoted() const { return QuotedSibling(""); }

std::string AuditTableName::QuotedSibling(std::string_view suffix) const {
  std::string local = QuotedLocal(suffix);
  return schema_.empty() ? local : absl::StrCat("\"", schema_, "\".", local);
}

std::string AuditTableName::QuotedLocal(std::string_view suffix) const {
  return absl::StrCat("\"", table_, std::string(suffix), "\"");
}

std::vector<std::string> AuditTableStatements(const AuditTableName& table) {
  const std::string t = table.Quoted();
  const std::string guard = table.QuotedSibling("_append_only");
  return {
      // `line` is the record exactly as hashed (without its newline): the
      // verifier rehashes it. UNIQUE(prev) means two writers can never both
      // continue the chain from one record, even under different seqs.
      // `record` is for investigators' queries only; jsonb refuses the
      // escape \u0000 (which a request may legitimately put in a record),
      // so it reads as U+FFFD there rather than stalling the log.
      absl::StrCat("CREATE TABLE IF NOT EXISTS ", t, R"sql( (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  prev char(64) NOT NULL UNIQUE,
  hash char(64) NOT NULL UNIQUE,
  time timestamptz NOT NULL,
  kind text NOT NULL,
  line text NOT NULL,
  record jsonb GENERATED ALWAYS AS (replace(line, E'\\u0000', E'\\ufffd')::jsonb) STORED
))sql"),
      absl::StrCat("COMMENT ON TABLE ", t,
                   " IS 'Tessera audit log: hash-chained and append-only; check it with "
                   "tessera audit verify --postgres'"),
      absl::StrCat("CREATE INDEX IF NOT EXISTS ", table.QuotedLocal("_time_idx"), " ON ", t, " (time)"),
      absl::StrCat("CREATE INDEX IF NOT EXISTS ", table.QuotedLocal("_subject_idx"), " ON ", t,
                   " ((record->>'subject'))"),
      absl::StrCat("CREATE INDEX IF NOT EXISTS ", table.QuotedLocal("_tenant_idx"), " ON ", t,
                   " ((record->>'tenant'))"),
      // Privileges keep the writer role from rewriting history; this keeps
      // everyone else, the owner included, from doing it by accident. A
      // statement-level trigger fires even when no row matches, and also
      // covers TRUNCATE, which row triggers never see.
      absl::StrCat("CREATE OR REPLACE FUNCTION ", guard, R"sql(() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'the audit table %.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING HINT = 'audit records are never changed or removed';
END
$fn$)sql"),
      absl::StrCat("CREATE OR REPLACE TRIGGER ", table.QuotedLocal("_append_only"),
                   " BEFORE UPDATE OR DELETE OR TRUNCATE ON ", t,
                   " FOR EACH STATEMENT EXECUTE FUNCTION ", guard, "()"),
  };
}

std::string AuditTableScript(const AuditTableName& table) {
  return absl::StrCat(absl::StrJoin(AuditTableStatements(table), ";\n"), ";\n");
}

absl::StatusOr<bool> AuditTableExists(PgAuditSession& session, const AuditTableName& table) {
  // NULL (read as "") when there is no such relation.
  absl::StatusOr<PgResult> kind =
      session.Exec("SELECT (SELECT relkind FROM pg_class WHERE oid = to_regclass($1))", {table.Quoted()});
  if (!kind.ok()) return kind.status();
  const std::string& relkind = kind->rows.at(0).at(0);
  if (relkind.empty()) return false;
  if (relkind == "r" || relkind == "p") return true;
  return absl::FailedPreconditionError(absl::StrCat(
      "the PostgreSQL audit table ", table.plain(), " exists but is not a table"));
}

absl::Status EnsureAuditTable(PgAuditSession& session, const AuditTableName& table) {
  absl::StatusOr<bool> exists = AuditTableExists(session, table);
  if (!exists.ok() || *exists) return exists.status();
  if (session.server_version() < 140000) {
    return absl::FailedPreconditionError(
        "creating the PostgreSQL audit table needs PostgreSQL 14 or later");
  }
  auto create = [&]() -> absl::Status {
    if (absl::StatusOr<PgResult> r = session.Exec("BEGIN"); !r.ok()) return r.status();
    absl::StatusOr<PgResult> lock = session.Exec("SELECT pg_advisory_xact_lock(hashtext($1))",
                                                 {absl::StrCat("tessera audit table ", table.Quoted())});
    if (!lock.ok()) return lock.status();
    // Another sink may have created it while this one waited for the lock.
    absl::StatusOr<bool> now = AuditTableExists(session, table);
    if (!now.ok()) return now.status();
    if (!*now) {
      for (const std::string& statement : AuditTableStatements(table)) {
        if (absl::StatusOr<PgResult> r = session.Exec(statement); !r.ok()) return r.status();
      }
    }
    absl::StatusOr<PgResult> commit = session.Exec("COMMIT");
    return commit.status();
  };
  absl::Status status = create();
  if (status.ok()) return status;
  if (!session.healthy()) (void)session.Exec("ROLLBACK");  // best effort; a broken session is replaced
  return absl::Status(status.code(),
                      absl::StrCat("cannot create the PostgreSQL audit table ", table.plain(),
                                   " (an administrator can create it with the SQL in "
                                   "src/audit/README.md): ",
                                   status.message()));
}

}  // namespace tessera::audit
