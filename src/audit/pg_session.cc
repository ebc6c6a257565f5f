#include "audit/pg_session.h"
#include "base/one_line.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

constexpr char kUnavailable[] = "PostgreSQL audit table unavailable: ";

struct ConnInfoFree {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConnInfoPtr = std::unique_ptr<PQconninfoOption, ConnInfoFree>;

struct ResultFree {
  void operator()(PGresult* res) const { PQclear(res); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultFree>;

absl::StatusOr<ConnInfoPtr> ParseConnInfo(const std::string& conninfo) {
  char* error = nullptr;
  ConnInfoPtr options(PQconninfoParse(conninfo.c_str(), &error));
  // libpq's message quotes the part it could not parse, which may be the
  // password: it is dropped unread.
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) {
    return absl::InvalidArgumentError(
        "the PostgreSQL audit connection string is malformed (libpq cannot parse it; it is not "
        "repeated here because it may hold a password)");
  }
  return options;
}

void ReplaceAll(std::string& text, std::string_view needle, std::string_view replacement) {
  if (needle.empty()) return;
  for (size_t pos = 0; (pos = text.find(needle, pos)) != std::string::npos; pos += replacement.size()) {
    text.replace(pos, needle.size(), replacement);
  }
}

}  // namespace

absl::Status CheckConnInfo(const std::string& conninfo) { return ParseConnInfo(conninfo).status(); }

absl::StatusOr<std::unique_ptr<PgAuditSession>> PgAuditSession::Connect(
    const std::string& conninfo, const PgSessionSettings& settings) {
  absl::StatusOr<ConnInfoPtr> parsed = ParseConnInfo(conninfo);
  if (!parsed.ok()) return parsed.status();

  // The parsed keywords go to libpq as separate keys and values (no string
  // is rebuilt), with ours where the session depends on them.
  std::vector<std::string> secrets;
  std::vector<const char*> keys;
  std::vector<const char*> values;
  auto given = [&](std::string_view key) {
    return std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) != keys.end();
  };
  for (const PQconninfoOption* o = parsed->get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view key = o->keyword;
    if (key == "password" || key == "sslpassword") {
      if (*o->val != '\0') secrets.emplace_back(o->val);
    }
    // Records are UTF-8 JSON; the timeout is the sink's setting.
    if (key == "client_encoding" || key == "connect_timeout") continue;
    keys.push_back(o->keyword);
    values.push_back(o->val);
  }
  // libpq counts connect_timeout in whole seconds (and treats 1 as 2).
  const std::string timeout =
      std::to_string(std::max<long long>(2, (settings.connect_timeout.count() + 999) / 1000));
  keys.push_back("connect_timeout");
  values.push_back(timeout.c_str());
  keys.push_back("client_encoding");
  values.push_back("UTF8");
  keys.push_back("fallback_application_name");
  values.push_back("tessera-audit");
  // Notice a peer that vanished without closing the socket (host down,
  // network partition) instead of waiting for a COMMIT forever.
  for (auto [key, value] : {std::pair{"keepalives", "1"}, {"keepalives_idle", "30"},
                            {"keepalives_interval", "10"}, {"keepalives_count", "3"}}) {
    if (!given(key)) {
      keys.push_back(key);
      values.push_back(value);
    }
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);

  // expand_dbname = 0: the string was parsed above; a dbname is a name.
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr) return absl::UnavailableError(absl::StrCat(kUnavailable, "out of memory"));
  std::unique_ptr<PgAuditSession> session(new PgAuditSession(conn, std::move(secrets)));
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat(kUnavailable, session->Redact(OneLine(PQerrorMessage(conn)))));
  }

  // synchronous_commit is set for the session, so that neither the server's
  // configuration nor a per-role default of `off` can make COMMIT return
  // before the records are flushed: the AuditLog answers a request only
  // after its record is durable. The statement timeout bounds how long a
  // locked table can stall the log; UTC reads a record time without a zone
  // the same way on every server.
  absl::StatusOr<PgResult> set = session->Exec(
      "SELECT set_config('synchronous_commit', 'on', false), "
      "set_config('statement_timeout', $1, false), set_config('TimeZone', 'UTC', false), "
      "current_setting('server_encoding')",
      {std::to_string(std::max<long long>(0, settings.statement_timeout.count()))});
  if (!set.ok()) return set.status();
  const std::string& encoding = set->rows.at(0).at(3);
  if (encoding != "UTF8") {
    // Records are UTF-8 JSON; another encoding would refuse some of them
    // (and their \u escapes in jsonb), stalling the log on user input.
    return absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL audit database has encoding ", encoding, "; it must be UTF8"));
  }
  return session;
}

PgAuditSession::~PgAuditSession() { PQfinish(conn_); }

bool PgAuditSession::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::string PgAuditSession::Redact(std::string_view message) const {
  std::string out(message);
  for (const std::string& secret : secrets_) ReplaceAll(out, secret, "<password>");
  return out;
}

absl::StatusOr<PgResult> PgAuditSession::Exec(const std::string& sql,
                                              const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  ResultPtr res(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, /*resultFormat=*/0));
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    PgResult out;
    out.command = PQcmdStatus(res.get());
    const int rows = PQntuples(res.get());
    const int columns = PQnfields(res.get());
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<std::string>& row = out.rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        row.emplace_back(PQgetvalue(res.get(), r, c),
                         static_cast<size_t>(PQgetlength(res.get(), r, c)));
      }
    }
    return out;
  }

  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(kUnavailable, "connection lost: ",
                                               Redact(OneLine(PQerrorMessage(conn_)))));
  }
  if (!res || (status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR)) {
    return absl::InternalError(absl::StrCat("PostgreSQL audit table: unexpected result (",
                                            PQresStatus(status), ")"));
  }
  const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
  const std::string sqlstate = state != nullptr ? state : "";
  const char* primary = PQresultErrorField(res.get(), PG_DIAG_MESSAGE_PRIMARY);
  std::string message = Redact(OneLine(primary != nullptr ? primary : PQresultErrorMessage(res.get())));
  if (sqlstate.compare(0, 2, "22") == 0) {
    // Data exceptions quote the offending input after ': "'.
    if (size_t quote = message.find(": \""); quote != std::string::npos) message.resize(quote);
  }
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  if (sqlstate == "42501") return absl::PermissionDeniedError(message);
  if (sqlstate == "57014") return absl::DeadlineExceededError(absl::StrCat("statement timeout: ", message));
  if (sqlstate.compare(0, 2, "08") == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {  // connection exceptions; server shutting down or starting
    return absl::UnavailableError(absl::StrCat(kUnavailable, message));
  }
  return absl::InternalError(
      absl::StrCat("PostgreSQL audit table: ", message, " (SQLSTATE ", sqlstate, ")"));
}

}  // namespace tessera::audit
