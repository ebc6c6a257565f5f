#include "audit/pg_sink.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

// Rows per INSERT statement: 6 parameters each, well under libpq's 65535.
// A larger batch is several statements in the same transaction.
constexpr size_t kRowsPerInsert = 1000;
// Rows per page of ReadAuditTable.
constexpr int kPageSize = 1000;

// The columns of one record, in the order of kInsertColumns. They are taken
// from the line (what the verifier trusts), after checking that it is a
// sealed record matching `r`, so a row's columns always agree with its line.
constexpr std::string_view kInsertColumns = "seq, prev, hash, time, kind, line";
enum Column { kSeq, kPrev, kHash, kTime, kKind, kLine };

absl::StatusOr<std::vector<std::string>> RowOf(const SealedRecord& r) {
  const std::string at = absl::StrCat("audit record seq ", r.seq);
  if (r.line.empty() || r.line.find('\n') != r.line.size() - 1) {
    return absl::InvalidArgumentError(absl::StrCat(at, " is not one line ending with a newline"));
  }
  std::string_view text(r.line.data(), r.line.size() - 1);
  // libpq passes text parameters as C strings; OpenLine's JSON parser
  // refuses raw control characters anyway.
  if (text.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(at, " contains a NUL byte"));
  }
  absl::StatusOr<OpenedRecord> opened = OpenLine(text);
  if (!opened.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(at, " is not a sealed record: ", opened.status().message()));
  }
  if (opened->seq != r.seq || opened->hash != r.hash) {
    return absl::InvalidArgumentError(absl::StrCat(at, ": its seq or hash differs from its line's"));
  }
  const boost::json::value* time = opened->fields.if_contains("time");
  const boost::json::value* kind = opened->fields.if_contains("kind");
  if (time == nullptr || !time->is_string() || kind == nullptr || !kind->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(at, " has no time or kind string"));
  }
  return std::vector<std::string>{std::to_string(r.seq), std::move(opened->prev), r.hash,
                                  std::string(time->as_string()), std::string(kind->as_string()),
                                  std::string(text)};
}

std::string InsertSql(const std::string& table, size_t rows) {
  // Only placeholders are written into the text; every value is bound.
  std::string sql = absl::StrCat("INSERT INTO ", table, " (", std::string(kInsertColumns), ") VALUES ");
  for (size_t i = 0; i < rows; ++i) {
    const size_t p = i * 6;
    absl::StrAppend(&sql, i == 0 ? "" : ", ", "($", p + 1, "::bigint, $", p + 2, ", $", p + 3, ", $",
                    p + 4, "::timestamptz, $", p + 5, ", $", p + 6, ")");
  }
  return sql;
}

absl::StatusOr<int64_t> ParseSeq(const std::string& text) {
  int64_t seq = 0;
  if (!absl::SimpleAtoi(text, &seq)) return absl::InternalError("PostgreSQL audit table: unreadable seq");
  return seq;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresAuditSink>> PostgresAuditSink::Create(PostgresAuditSinkOptions options) {
  absl::StatusOr<AuditTableName> table = AuditTableName::Parse(options.table);
  if (!table.ok()) return table.status();
  if (absl::Status s = CheckConnInfo(options.conninfo); !s.ok()) return s;
  return std::unique_ptr<PostgresAuditSink>(new PostgresAuditSink(std::move(options), *std::move(table)));
}

std::string PostgresAuditSink::Describe() const { return absl::StrCat("postgresql table ", table_.plain()); }

absl::StatusOr<ChainPoint> PostgresAuditSink::Open() {
  // Always a fresh session: Open is the recovery step after a failure, and
  // a connection that looks fine locally may have been dropped by the
  // server since; reconnecting costs little next to a wrong answer.
  session_.reset();
  end_.reset();
  absl::StatusOr<std::unique_ptr<PgAuditSession>> session = PgAuditSession::Connect(
      options_.conninfo, {.connect_timeout = options_.connect_timeout,
                          .statement_timeout = options_.statement_timeout});
  if (!session.ok()) return session.status();
  if (absl::Status s = EnsureAuditTable(**session, table_); !s.ok()) return s;

  absl::StatusOr<PgResult> last = (*session)->Exec(
      absl::StrCat("SELECT seq, hash, line FROM ", table_.Quoted(), " ORDER BY seq DESC LIMIT 1"));
  if (!last.ok()) return last.status();
  ChainPoint end;
  if (!last->rows.empty()) {
    const std::vector<std::string>& row = last->rows[0];
    absl::StatusOr<int64_t> seq = ParseSeq(row[0]);
    if (!seq.ok()) return seq.status();
    // The sink continues the chain from this row, so it must be a record
    // that opens and that its columns describe; otherwise the table was
    // edited, and appending would hide that behind new records.
    const std::string damaged = absl::StrCat("the PostgreSQL audit table ", table_.plain(),
                                             " is damaged at seq ", *seq, ", its last record: ");
    absl::StatusOr<OpenedRecord> opened = OpenLine(row[2]);
    if (!opened.ok()) return absl::DataLossError(absl::StrCat(damaged, opened.status().message()));
    if (opened->seq != *seq || opened->hash != row[1]) {
      return absl::DataLossError(absl::StrCat(damaged, "its seq or hash column differs from its line"));
    }
    end = ChainPoint{*seq, row[1]};
  }
  session_ = *std::move(session);
  end_ = end;
  return end;
}

absl::Status PostgresAuditSink::Append(absl::Span<const SealedRecord> batch) {
  if (!end_.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the ", Describe(), " is not open (a failed write is settled by Open)"));
  }
  if (batch.empty()) return absl::OkStatus();
  std::vector<std::vector<std::string>> rows;
  rows.reserve(batch.size());
  ChainPoint at = *end_;
  for (const SealedRecord& r : batch) {
    absl::StatusOr<std::vector<std::string>> row = RowOf(r);
    if (!row.ok()) return row.status();
    if (r.seq != at.seq + 1 || (*row)[kPrev] != at.hash) {
      if (&r != &batch.front()) {
        return absl::InvalidArgumentError(absl::StrCat("the audit batch does not chain at seq ", r.seq));
      }
      if (r.seq == at.seq + 1) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the PostgreSQL audit table's chain ends at seq ", at.seq,
            " with another record than the one seq ", r.seq, " follows: another writer?"));
      }
      return absl::FailedPreconditionError(absl::StrCat("the PostgreSQL audit table's chain ends at seq ",
                                                        at.seq, ", not ", r.seq - 1, ": another writer?"));
    }
    at = ChainPoint{r.seq, r.hash};
    rows.push_back(*std::move(row));
  }

  absl::Status status = Insert(batch, rows);
  if (status.ok()) {
    end_ = at;
  } else {
    end_.reset();  // whether it was stored (a lost COMMIT answer) only Open can tell
  }
  return status;
}

absl::Status PostgresAuditSink::Insert(absl::Span<const SealedRecord> batch,
                                       const std::vector<std::vector<std::string>>& rows) {
  if (session_ == nullptr || !session_->healthy()) {
    return absl::UnavailableError("PostgreSQL audit table unavailable: the connection is closed");
  }
  auto transaction = [&]() -> absl::Status {
    if (absl::StatusOr<PgResult> r = session_->Exec("BEGIN"); !r.ok()) return r.status();
    for (size_t first = 0; first < rows.size(); first += kRowsPerInsert) {
      const size_t count = std::min(kRowsPerInsert, rows.size() - first);
      std::vector<std::string> params;
      params.reserve(count * 6);
      for (size_t i = first; i < first + count; ++i) params.insert(params.end(), rows[i].begin(), rows[i].end());
      if (absl::StatusOr<PgResult> r = session_->Exec(InsertSql(table_.Quoted(), count), params); !r.ok()) {
        return r.status();
      }
    }
    absl::StatusOr<PgResult> commit = session_->Exec("COMMIT");
    if (!commit.ok()) return commit.status();
    // COMMIT of a transaction that failed answers "ROLLBACK", not an error.
    if (commit->command != "COMMIT") {
      return absl::InternalError(absl::StrCat("PostgreSQL audit table: COMMIT answered ", commit->command));
    }
    return absl::OkStatus();
  };
  absl::Status status = transaction();
  if (status.ok()) return status;
  if (!session_->healthy()) (void)session_->Exec("ROLLBACK");  // best effort: Open starts afresh anyway
  if (absl::IsAlreadyExists(status)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL audit table already holds seq ", batch.front().seq,
        " or another record after the same prev: another writer appended to it (", status.message(), ")"));
  }
  if (absl::IsUnavailable(status)) {
    return absl::UnavailableError(absl::StrCat(
        status.message(), " (whether the batch from seq ", batch.front().seq, " was stored shows on Open)"));
  }
  return status;
}

absl::Status PostgresAuditSink::Rollback() {
  return absl::FailedPreconditionError("the PostgreSQL audit table is append-only; it must be the last sink");
}

absl::StatusOr<std::vector<SealedRecord>> PostgresAuditSink::RecordsAfter(int64_t seq, size_t limit) {
  if (session_ == nullptr) return absl::FailedPreconditionError(absl::StrCat("the ", Describe(), " is not open"));
  std::vector<SealedRecord> out;
  if (limit == 0) return out;
  const uint64_t capped = std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max());
  absl::StatusOr<PgResult> rows = session_->Exec(
      absl::StrCat("SELECT seq, hash, line FROM ", table_.Quoted(), " WHERE seq > $1::bigint ORDER BY seq LIMIT $2::bigint"),
      {std::to_string(seq), std::to_string(capped)});
  if (!rows.ok()) return rows.status();
  out.reserve(rows->rows.size());
  for (std::vector<std::string>& row : rows->rows) {
    absl::StatusOr<int64_t> at = ParseSeq(row[0]);
    if (!at.ok()) return at.status();
    out.push_back(SealedRecord{*at, std::move(row[1]), std::move(row[2]) + '\n'});
  }
  return out;
}

absl::Status ReadAuditTable(const std::string& conninfo, const std::string& table,
                            const std::function<absl::Status(std::string_view line)>& each) {
  return ReadAuditTableRows(conninfo, table, [&](const AuditTableRow& row) { return each(row.line); });
}

absl::Status ReadAuditTableRows(const std::string& conninfo, const std::string& table,
                                const std::function<absl::Status(const AuditTableRow& row)>& each) {
  absl::StatusOr<AuditTableName> name = AuditTableName::Parse(table);
  if (!name.ok()) return name.status();
  // No statement timeout: a page of a huge table on a busy server may be slow.
  absl::StatusOr<std::unique_ptr<PgAuditSession>> session =
      PgAuditSession::Connect(conninfo, {.statement_timeout = std::chrono::milliseconds(0)});
  if (!session.ok()) return session.status();
  absl::StatusOr<bool> exists = AuditTableExists(**session, *name);
  if (!exists.ok()) return exists.status();
  if (!*exists) return absl::NotFoundError(absl::StrCat("no PostgreSQL audit table ", name->plain()));

  // Keyset pages: each one continues after the last seq read, so rows
  // appended meanwhile are read too and none is read twice. The first page
  // has no lower bound, so the verifier sees every row the table holds.
  // `time` as the records write it, whatever the session's time zone.
  const std::string columns =
      R"sql(SELECT seq, prev, hash, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), kind, line FROM )sql";
  const std::string first = absl::StrCat(columns, name->Quoted(), " ORDER BY seq LIMIT ", kPageSize);
  const std::string next =
      absl::StrCat(columns, name->Quoted(), " WHERE seq > $1::bigint ORDER BY seq LIMIT ", kPageSize);
  std::string after;
  while (true) {
    absl::StatusOr<PgResult> page =
        after.empty() ? (*session)->Exec(first) : (*session)->Exec(next, {after});
    if (!page.ok()) return page.status();
    AuditTableRow row;
    for (std::vector<std::string>& cells : page->rows) {
      row.seq = cells[0];  // kept: the next page starts after the last one
      row.prev = std::move(cells[1]);
      row.hash = std::move(cells[2]);
      row.time = std::move(cells[3]);
      row.kind = std::move(cells[4]);
      row.line = std::move(cells[5]);
      if (absl::Status s = each(row); !s.ok()) return s;
    }
    if (page->rows.size() < static_cast<size_t>(kPageSize)) return absl::OkStatus();
    after = page->rows.back()[0];
  }
}

}  // namespace tessera::audit
