#include "driver/postgres/pg_connection.h"
#include "base/one_line.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "driver/redact.h"

namespace tessera::driver {
namespace {

constexpr Oid kBoolOid = 16;  // pg_type.oid of boolean (fixed since 1996)

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// The server's primary message without anything that may be a value: data
// exceptions (SQLSTATE class 22) quote the offending input after ': "'.
std::string SafeServerMessage(const PGresult* res, std::string_view sqlstate,
                              const sql::Params& params) {
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = OneLine(primary != nullptr ? primary : PQresultErrorMessage(res));
  if (sqlstate.substr(0, 2) == "22") {
    if (size_t quote = message.find(": \""); quote != std::string::npos) message.resize(quote);
  }
  return RedactParams(message, params);
}

}  // namespace

absl::Status CheckSchemaName(std::string_view schema) {
  if (schema.empty()) return absl::OkStatus();
  const char* problem = nullptr;
  if (schema.size() > 63) {
    problem = "is longer than 63 characters";  // PostgreSQL would silently truncate it
  } else if (absl::ascii_isdigit(static_cast<unsigned char>(schema[0]))) {
    problem = "starts with a digit";
  } else {
    for (char c : schema) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
        problem = "contains a character other than an ASCII letter, digit or '_'";
        break;
      }
    }
  }
  if (problem == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("PostgreSQL schema name ", problem,
                   " (it must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$)"));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const PgOptions& options) {
  // PgDataSource::Open checked it already; a schema name must never reach
  // the options string unchecked.
  if (absl::Status s = CheckSchemaName(options.schema); !s.ok()) return s;
  // libpq counts connect_timeout in whole seconds (and treats 1 as 2).
  const long long timeout_s = std::max<long long>(1, (options.connect_timeout.count() + 999) / 1000);
  // Every session is read-only (the API never writes: defense in depth) and
  // runs in UTC, so timestamp-without-time-zone columns, which hold UTC
  // instants, convert to zones correctly in the dialect's SQL.
  std::string server_options = "-c default_transaction_read_only=on -c TimeZone=UTC -c DateStyle=ISO";
  if (options.statement_timeout.count() > 0) {
    absl::StrAppend(&server_options, " -c statement_timeout=", options.statement_timeout.count());
  }
  if (!options.schema.empty()) {
    // Only this schema (pg_catalog is searched implicitly): an unqualified
    // name that this schema lacks is an error, never another schema's table.
    // Double quotes keep the name's case exactly as given, as Introspect
    // compares it; they are plain characters to libpq's options parsing.
    absl::StrAppend(&server_options, " -c search_path=\"", options.schema, "\"");
  }
  const std::string port = std::to_string(options.port);
  const std::string timeout = std::to_string(timeout_s);

  // Keywords and values travel separately (no conninfo string is ever
  // built), so a password with spaces or quotes cannot inject settings.
  std::vector<const char*> keys;
  std::vector<const char*> values;
  auto add = [&](const char* key, const std::string& value) {
    if (value.empty()) return;  // let libpq apply its default
    keys.push_back(key);
    values.push_back(value.c_str());
  };
  add("host", options.host);
  add("port", port);
  add("dbname", options.database);
  add("user", options.user);
  add("password", options.password);
  add("connect_timeout", timeout);
  add("options", server_options);
  add("application_name", options.application_name);
  static const std::string kUtf8 = "UTF8", kOn = "1", kIdle = "30", kInterval = "10", kCount = "3";
  add("client_encoding", kUtf8);
  // Notice a peer that vanished without closing the socket (host down,
  // network partition) instead of waiting forever for a result.
  add("keepalives", kOn);
  add("keepalives_idle", kIdle);
  add("keepalives_interval", kInterval);
  add("keepalives_count", kCount);
  keys.push_back(nullptr);
  values.push_back(nullptr);

  // expand_dbname = 0: a database name is only ever a name, never a
  // connection string.
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr) return absl::UnavailableError("database unavailable: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = RedactSecret(OneLine(PQerrorMessage(conn)), options.password);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("database unavailable: ", message));
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

absl::StatusOr<ResultSet> PgConnection::Execute(const std::string& sql,
                                                const sql::Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const sql::Param& p : params) {
    values.push_back(p.type == sql::Param::Type::kNull ? nullptr : p.text.c_str());
  }
  // Types left to the server (nullptr: every OID 0); text in, text out.
  ResultPtr res(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, /*resultFormat=*/0));
  const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;

  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
    ResultSet result;
    const int columns = PQnfields(res.get());
    const int rows = PQntuples(res.get());
    std::vector<bool> is_bool(columns);
    result.column_names.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      result.column_names.emplace_back(PQfname(res.get(), c));
      is_bool[c] = PQftype(res.get(), c) == kBoolOid;
    }
    result.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      std::vector<Cell>& row = result.rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res.get(), r, c)) {
          row.emplace_back(std::nullopt);
        } else if (is_bool[c]) {
          // PostgreSQL prints booleans as t/f; every other layer (and SQLite's
          // JSON functions) speaks true/false.
          row.emplace_back(PQgetvalue(res.get(), r, c)[0] == 't' ? "true" : "false");
        } else {
          row.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                       static_cast<size_t>(PQgetlength(res.get(), r, c))));
        }
      }
    }
    return result;
  }

  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(
        "database unavailable: connection lost: ",
        RedactParams(OneLine(PQerrorMessage(conn_)), params)));
  }
  if (!res) {
    return absl::InternalError(
        absl::StrCat("SQL error: ", RedactParams(OneLine(PQerrorMessage(conn_)), params)));
  }
  if (status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR) {
    // COPY and friends: the API never issues them.
    return absl::InternalError(
        absl::StrCat("SQL error: unexpected result status ", PQresStatus(status)));
  }
  const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string message = SafeServerMessage(res.get(), sqlstate, params);
  if (sqlstate == "57014") {  // query_canceled: statement_timeout fired
    return absl::DeadlineExceededError(absl::StrCat("statement timeout: ", message));
  }
  if (sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {  // connection exceptions, server shutting down / starting
    return absl::UnavailableError(absl::StrCat("database unavailable: ", message));
  }
  return absl::InternalError(absl::StrCat("SQL error: ", message, " (SQLSTATE ", sqlstate, ")"));
}

}  // namespace tessera::driver
