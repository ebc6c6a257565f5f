// The audit log of a real `tessera serve`, under load and under attack from
// its own machine: killed with SIGKILL mid-load, its disk full, its file made
// unwritable. Whatever happens, no response leaves without its record, and
// the log verifies.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "audit/chain.h"
#include "audit/log_files.h"
#include "audit/log_verifier.h"
#include "audit/pg_sink.h"
#include "audit/record_signer.h"
#include "demo/demo_data.h"
#include "http/test_client.h"
#include "support/tessera_process.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::TokenFrom;

constexpr char kSecret[] = "audit-test-secret-0123456789abcdefgh";

std::string UrlQuery(const std::string& json_text) {
  std::string out;
  for (unsigned char c : json_text) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += absl::StrFormat("%%%02X", c);
    }
  }
  return out;
}

// A request of the mixed load: its id, what it asks, and with which token.
struct Exchange {
  std::string id;
  std::string authorization;
  std::string query;
};

// Every record of the log by request id (request records only).
std::map<std::string, json::object> RequestRecords(const std::vector<std::string>& files) {
  std::map<std::string, json::object> out;
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      absl::StatusOr<audit::OpenedRecord> r = audit::OpenLine(line);
      if (!r.ok()) continue;  // a torn last line: the verifier judges it
      if (r->fields.at("kind").as_string() != "request") continue;
      out[std::string(r->fields.at("request_id").as_string())] = r->fields;
    }
  }
  return out;
}

class AuditServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    base_ = fs::temp_directory_path() / ("tessera-audit-" + std::to_string(::getpid()));
    fs::create_directories(base_ / "data");
    demo::DemoDataOptions small;
    small.orders = 2000;
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase((base_ / "data" / "ecom.db").string(), small).ok());
    fs::copy(fs::path(TESSERA_SOURCE_DIR) / "demo" / "model", base_ / "model", fs::copy_options::recursive);
    auto mint = [](std::vector<std::string> claims) {
      std::vector<std::string> args = {"token", "--secret", kSecret};
      for (auto& c : claims) {
        args.push_back("-p");
        args.push_back(c);
      }
      auto [code, out] = testing::RunTessera(args, base_);
      EXPECT_EQ(code, 0) << out;
      return TokenFrom(out);
    };
    admin_ = mint({"role=admin", "sub=alice"});
    user_ = mint({"role=user", "sub=bob"});
    viewer_ = mint({"role=viewer", "sub=carol"});
    auditor_ = mint({"role=auditor", "sub=dave"});
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    // KEEP_AUDIT_IT=1 keeps the logs for a look after a failure.
    if (!std::getenv("KEEP_AUDIT_IT")) fs::remove_all(base_, ec);
  }

  void SetUp() override {
    // Each test its own log (the data and model are shared).
    dir_ = base_ / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_);
    fs::create_directory_symlink(base_ / "data", dir_ / "data");
    fs::create_directory_symlink(base_ / "model", dir_ / "model");
  }
  void TearDown() override { server_.Stop(); }

  uint16_t Start(std::string& log, std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> env = {{"CUBEJS_DB_TYPE", "sqlite"},
                                              {"CUBEJS_DB_NAME", "data/ecom.db"},
                                              {"CUBEJS_SCHEMA_PATH", "model"},
                                              {"CUBEJS_DEV_MODE", "false"},
                                              {"PORT", "0"},
                                              {"CUBEJS_API_SECRET", kSecret},
                                              {"TESSERA_API_SCOPES", "viewer:meta;auditor:audit"}};
    for (auto& [k, v] : extra) env[k] = v;
    return server_.Start(dir_, env, log);
  }

  std::string LogPath() const { return (dir_ / "audit" / "audit.log").string(); }
  std::vector<std::string> LogFiles() const {
    absl::StatusOr<std::vector<std::string>> files = audit::ListLogFiles(LogPath());
    return files.ok() ? *files : std::vector<std::string>{};
  }
  audit::VerifyReport Verify() const {
    absl::StatusOr<audit::VerifyReport> report = audit::VerifyLog(LogFiles(), audit::VerifyOptions{});
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : audit::VerifyReport{};
  }

  // The i-th request of the mixed load: allowed (two roles), denied (a
  // scope), invalid (a forged token; a member that does not exist).
  static Exchange Mixed(const std::string& id, int i) {
    std::string limit = absl::StrCat(",\"limit\":", 2 + i % 40);
    switch (i % 5) {
      case 0:
        return {id, "Bearer " + admin_, R"({"measures":["Orders.count"],"dimensions":["Orders.status"])" + limit + "}"};
      case 1:
        return {id, "Bearer " + user_, R"({"measures":["Orders.count"])" + limit + "}"};
      case 2:
        return {id, "Bearer " + viewer_, R"({"measures":["Orders.count"]})"};
      case 3:
        return {id, "Bearer " + admin_.substr(0, admin_.size() - 4) + "AAAA", R"({"measures":["Orders.count"]})"};
      default:
        return {id, "Bearer " + admin_, R"({"measures":["Orders.nothing"]})"};
    }
  }

  static std::string RequestText(const Exchange& e) {
    return absl::StrCat("GET /cubejs-api/v1/load?query=", UrlQuery(e.query),
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: ", e.id, "\r\nAuthorization: ", e.authorization,
                        "\r\n\r\n");
  }

  // One request on its own connection; status 0 when nothing came back.
  static http::testing::RawResponse Send(uint16_t port, const Exchange& e) {
    http::testing::RawClient client(port);
    if (!client.connected() || !client.Send(RequestText(e))) return {};
    auto r = client.ReadResponse(false, std::chrono::seconds(30));
    return r ? *r : http::testing::RawResponse{};
  }

  static int Readyz(uint16_t port, std::string* body = nullptr) {
    http::testing::RawClient client(port);
    client.Send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
    auto r = client.ReadResponse(false, std::chrono::seconds(10));
    if (body && r) *body = r->body;
    return r ? r->status : 0;
  }

  // Sends the mixed load from three clients while `during` runs; returns
  // what each request got (request id -> status).
  static std::map<std::string, int> LoadWhile(uint16_t port, const std::string& prefix,
                                              const std::function<void()>& during) {
    std::mutex mu;
    std::map<std::string, int> answered;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; !stop; ++i) {
          Exchange e = Mixed(absl::StrCat(prefix, t, "-", i), i + t);
          int status = Send(port, e).status;
          std::lock_guard<std::mutex> lock(mu);
          answered[e.id] = status;
        }
      });
    }
    during();
    stop = true;
    for (auto& t : threads) t.join();
    return answered;
  }

  // Every request has its record, with the status its client saw: those
  // refused for the audit log's sake (503) too, stored after the outage and
  // saying why; and as many of them as the outage records say were refused.
  void ExpectRecordedExactlyTheAnswered(const std::map<std::string, int>& answered) {
    std::map<std::string, json::object> records = RequestRecords(LogFiles());
    int refused = 0, served = 0;
    for (const auto& [id, status] : answered) {
      auto it = records.find(id);
      ASSERT_TRUE(it != records.end()) << id << " (" << status << ") has no record";
      EXPECT_EQ(it->second.at("status").as_int64(), status) << id;
      if (status == 503) {
        ++refused;
        EXPECT_EQ(it->second.at("outcome").as_string(), "error") << id;
        EXPECT_EQ(it->second.at("reason").as_string(), "the audit log could not store the record") << id;
      } else {
        ++served;
      }
    }
    EXPECT_GT(refused, 0);
    EXPECT_GT(served, 0);
    int64_t counted = 0, unrecorded = 0;
    size_t recorded_503 = 0;
    for (const std::string& file : LogFiles()) {
      std::ifstream in(file);
      for (std::string line; std::getline(in, line);) {
        absl::StatusOr<audit::OpenedRecord> r = audit::OpenLine(line);
        if (!r.ok()) continue;
        if (r->fields.at("kind").as_string() == "audit_outage") {
          counted += r->fields.at("refused").as_int64();
          unrecorded += r->fields.at("unrecorded").as_int64();
        }
      }
    }
    for (const auto& [id, record] : records) recorded_503 += record.at("status").as_int64() == 503;
    EXPECT_EQ(unrecorded, 0);
    EXPECT_EQ(static_cast<int64_t>(recorded_503), counted) << "refusals on record vs. counted by the outages";
  }

  // Waits (up to 20 s) for /readyz to answer `status`.
  static bool AwaitReadyz(uint16_t port, int status) {
    for (int i = 0; i < 200; ++i) {
      if (Readyz(port) == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  static fs::path base_;
  static std::string admin_, user_, viewer_, auditor_;
  fs::path dir_;
  testing::ServerProcess server_;
};

fs::path AuditServerTest::base_;
std::string AuditServerTest::admin_, AuditServerTest::user_, AuditServerTest::viewer_, AuditServerTest::auditor_;

TEST_F(AuditServerTest, RecordsEachDecisionWithWhoWhatAndWhy) {
  std::string log;
  uint16_t port = Start(log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("Audit log: "), std::string::npos) << log;
  std::vector<int> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(Send(port, Mixed(absl::StrCat("q", i), i)).status);
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 403, 403, 400}));
  // The same request again: answered from the response cache, recorded as such.
  EXPECT_EQ(Send(port, Mixed("q0-again", 0)).status, 200);
  server_.Stop();

  audit::VerifyReport report = Verify();
  ASSERT_TRUE(report.ok()) << report.failure->ToString();
  std::map<std::string, json::object> records = RequestRecords(LogFiles());
  ASSERT_EQ(records.size(), 6u);
  const json::object& admin = records["q0"];
  EXPECT_EQ(admin.at("outcome").as_string(), "allowed");
  EXPECT_EQ(admin.at("subject").as_string(), "alice");
  EXPECT_EQ(admin.at("roles").as_array(), json::array{"admin"});
  EXPECT_EQ(admin.at("endpoint").as_string(), "load");
  EXPECT_EQ(admin.at("client").as_string(), "127.0.0.1");
  EXPECT_EQ(admin.at("status").as_int64(), 200);
  EXPECT_EQ(admin.at("rows").as_int64(), 2);  // limit 2
  EXPECT_EQ(admin.at("cache").as_string(), "miss");
  EXPECT_NE(std::string(admin.at("query").as_string()).find("Orders.status"), std::string::npos);
  ASSERT_EQ(admin.at("sql").as_array().size(), 1u);
  EXPECT_EQ(std::string(admin.at("sql").as_array()[0].as_string()).substr(0, 7), "sha256:");
  EXPECT_EQ(std::string(admin.at("token").as_string()).substr(0, 7), "sha256:");
  EXPECT_TRUE(admin.at("reason").is_null());
  const json::object& again = records["q0-again"];
  EXPECT_EQ(again.at("cache").as_string(), "hit");
  EXPECT_EQ(again.at("sql"), admin.at("sql"));
  EXPECT_EQ(again.at("rows"), admin.at("rows"));

  // The restricted user: the row filter the policy added is in the rewritten query.
  const json::object& user = records["q1"];
  EXPECT_EQ(user.at("outcome").as_string(), "allowed");
  EXPECT_NE(json::serialize(user.at("rewritten")).find("Orders.sampleSlice"), std::string::npos)
      << json::serialize(user.at("rewritten"));
  EXPECT_NE(json::serialize(user.at("policies")).find("access_policy:Orders"), std::string::npos);
  EXPECT_EQ(json::serialize(admin.at("rewritten")).find("sampleSlice"), std::string::npos);

  const json::object& viewer = records["q2"];
  EXPECT_EQ(viewer.at("outcome").as_string(), "denied");
  EXPECT_NE(json::serialize(viewer.at("policies")).find("api_scopes"), std::string::npos);
  EXPECT_NE(std::string(viewer.at("reason").as_string()).find("data"), std::string::npos);

  // The forged token: the client heard "Invalid token", the log has why.
  const json::object& forged = records["q3"];
  EXPECT_EQ(forged.at("outcome").as_string(), "invalid");
  EXPECT_TRUE(forged.at("subject").is_null());
  EXPECT_NE(std::string(forged.at("reason").as_string()), "Invalid token");
  EXPECT_NE(std::string(forged.at("reason").as_string()).find("signature"), std::string::npos)
      << forged.at("reason");

  EXPECT_EQ(records["q4"].at("outcome").as_string(), "invalid");
  EXPECT_NE(std::string(records["q4"].at("reason").as_string()).find("Orders.nothing"), std::string::npos);

  // Tokens and the secret never reach the log.
  std::ifstream in(LogPath());
  std::stringstream text;
  text << in.rdbuf();
  for (const std::string& secret : {admin_, user_, viewer_, std::string(kSecret)}) {
    EXPECT_EQ(text.str().find(secret), std::string::npos);
  }
}

TEST_F(AuditServerTest, EveryAnsweredRequestIsOnRecordAfterASigkillMidLoad) {
  std::string log;
  uint16_t port = Start(log);
  ASSERT_GT(port, 0) << log;
  constexpr int kThreads = 4, kEach = 1000, kKillAfter = 2500;
  std::mutex mu;
  std::map<std::string, int> answered;  // request id -> status
  std::atomic<int> count{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = std::make_unique<http::testing::RawClient>(port);
      for (int i = 0; i < kEach && !killed; ++i) {
        Exchange e = Mixed(absl::StrCat("k", t, "-", i), i + t);
        std::optional<http::testing::RawResponse> r;
        if (client->Send(RequestText(e))) r = client->ReadResponse(false, std::chrono::seconds(30));
        if (!r) {
          // The server closed the connection (or is gone): a new one, unless killed.
          if (killed) break;
          client = std::make_unique<http::testing::RawClient>(port);
          if (!client->Send(RequestText(e))) break;
          r = client->ReadResponse(false, std::chrono::seconds(30));
          if (!r) break;
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          answered[e.id] = r->status;
        }
        ++count;
      }
    });
  }
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (count < kKillAfter && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server_.Kill();
  killed = true;
  for (auto& t : threads) t.join();
  ASSERT_GE(answered.size(), static_cast<size_t>(kKillAfter));

  // Before any repair: every answered request has its record, with the
  // status its client saw.
  std::map<std::string, json::object> records = RequestRecords(LogFiles());
  size_t missing = 0, wrong = 0;
  std::map<std::string, int> outcomes;
  for (const auto& [id, status] : answered) {
    auto it = records.find(id);
    if (it == records.end()) {
      ++missing;
      continue;
    }
    if (it->second.at("status").as_int64() != status) ++wrong;
    ++outcomes[std::string(it->second.at("outcome").as_string())];
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(wrong, 0u);
  EXPECT_GT(outcomes["allowed"], 0);
  EXPECT_GT(outcomes["denied"], 0);
  EXPECT_GT(outcomes["invalid"], 0);

  // The log verifies; a batch whose write the kill cut off can only be the
  // incomplete last line, and only records nobody was answered on.
  audit::VerifyReport report = Verify();
  bool torn = false;
  if (!report.ok()) {
    EXPECT_NE(report.failure->reason.find("incomplete last record"), std::string::npos)
        << report.failure->ToString();
    torn = true;
  }
  // A restart repairs a torn end (and says so in the log); then all verifies.
  ASSERT_GT(Start(log), 0) << log;
  server_.Stop();
  report = Verify();
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  EXPECT_GT(report.records, static_cast<int64_t>(answered.size()));
  std::ifstream in(LogPath());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str().find("\"kind\":\"recovered\"") != std::string::npos, torn);
}

TEST_F(AuditServerTest, OnlyAuditorsReadTheLogOverHttp) {
  std::string log;
  uint16_t port = Start(log);
  ASSERT_GT(port, 0) << log;
  for (int i = 0; i < 5; ++i) Send(port, Mixed(absl::StrCat("h", i), i));
  auto get = [&](const std::string& target, const std::string& token) {
    http::testing::RawClient client(port);
    client.Send("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
    auto r = client.ReadResponse(false, std::chrono::seconds(10));
    return r ? *r : http::testing::RawResponse{};
  };
  auto denied = get("/cubejs-api/v1/audit", admin_);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(get("/cubejs-api/v1/audit", viewer_).status, 403);
  auto found = get("/cubejs-api/v1/audit?subject=alice&outcome=allowed", auditor_);
  ASSERT_EQ(found.status, 200) << found.body;
  json::object body = json::parse(found.body).as_object();
  const json::array& records = body.at("records").as_array();
  ASSERT_EQ(records.size(), 1u) << found.body;  // h0 (h3's token is forged, h4's query invalid)
  EXPECT_EQ(records[0].as_object().at("request_id").as_string(), "h0");
  EXPECT_GT(body.at("head").as_object().at("seq").as_int64(), 5);
  auto bad = get("/cubejs-api/v1/audit?since=yesterday", auditor_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  server_.Stop();
  // The auditor's reads are on record too, the refused ones included.
  std::map<std::string, json::object> all = RequestRecords(LogFiles());
  int audit_reads = 0;
  for (const auto& [id, r] : all) audit_reads += r.at("endpoint").as_string() == "audit";
  EXPECT_EQ(audit_reads, 4);

  // In dev mode nobody reads it (there is no one to grant the scope to).
  port = Start(log, {{"CUBEJS_DEV_MODE", "true"}});
  ASSERT_GT(port, 0) << log;
  EXPECT_EQ(get("/cubejs-api/v1/audit", auditor_).status, 403);
}

// The PostgreSQL sink beside the file: the same chain, record for record.
TEST_F(AuditServerTest, ThePostgresTableHoldsTheSameChainAsTheFile) {
  const char* pg_port = std::getenv("TESSERA_TEST_PG_PORT");
  if (pg_port == nullptr) GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set";
  std::string admin = absl::StrCat("host=127.0.0.1 port=", pg_port, " user=postgres dbname=postgres");
  std::string db = absl::StrCat("audit_it_", ::getpid());
  PGconn* conn = PQconnectdb(admin.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + db).c_str()));
  PGresult* created = PQexec(conn, ("CREATE DATABASE " + db).c_str());
  ASSERT_EQ(PQresultStatus(created), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(created);
  std::string url = absl::StrCat("postgresql://postgres@127.0.0.1:", pg_port, "/", db);
  // In a schema of its own, as docs/audit.md advises.
  const std::string table_name = "audit.it_log";
  {
    PGconn* setup = PQconnectdb(absl::StrCat("host=127.0.0.1 port=", pg_port, " user=postgres dbname=", db).c_str());
    ASSERT_EQ(PQstatus(setup), CONNECTION_OK) << PQerrorMessage(setup);
    PGresult* schema = PQexec(setup, "CREATE SCHEMA audit");
    ASSERT_EQ(PQresultStatus(schema), PGRES_COMMAND_OK) << PQerrorMessage(setup);
    PQclear(schema);
    PQfinish(setup);
  }

  std::string log;
  // A table name that is not one is refused before anything starts.
  EXPECT_EQ(Start(log, {{"TESSERA_AUDIT_POSTGRES_URL", url}, {"TESSERA_AUDIT_POSTGRES_TABLE", "it_log; DROP"}}), 0);
  EXPECT_NE(log.find("TESSERA_AUDIT_POSTGRES_TABLE"), std::string::npos) << log;
  server_.Stop();  // reaps it
  uint16_t port = Start(log, {{"TESSERA_AUDIT_POSTGRES_URL", url}, {"TESSERA_AUDIT_POSTGRES_TABLE", table_name}});
  ASSERT_GT(port, 0) << log;
  for (int i = 0; i < 10; ++i) Send(port, Mixed(absl::StrCat("pg-", i), i));
  // The sink's connection is cut: the batch it was writing is refused (and
  // taken back from the file), then the sink reconnects and all goes on.
  PGresult* cut = PQexec(conn, ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db +
                                "' AND pid <> pg_backend_pid()")
                                   .c_str());
  ASSERT_EQ(PQresultStatus(cut), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  PQclear(cut);
  // pg_terminate_backend only signals: wait until the backend is gone.
  for (int i = 0; i < 100; ++i) {
    PGresult* left = PQexec(conn, ("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "'").c_str());
    bool gone = PQresultStatus(left) == PGRES_TUPLES_OK && std::string(PQgetvalue(left, 0, 0)) == "0";
    PQclear(left);
    if (gone) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::map<std::string, int> after;
  for (int i = 0; i < 40; ++i) {
    std::string id = absl::StrCat("pg-after-", i);
    after[id] = Send(port, Mixed(id, i)).status;
    if (i > 0 && after[id] == 200 && after[absl::StrCat("pg-after-", i - 1)] != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(after.begin()->second, 503) << "the first request after the cut is refused";
  server_.Stop();
  EXPECT_EQ(log.find(url), std::string::npos) << "the URL reached the console";

  std::vector<std::string> table;
  absl::Status read = audit::ReadAuditTable(url, table_name, [&](std::string_view line) {
    table.emplace_back(line);
    return absl::OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read;
  std::vector<std::string> file;
  std::ifstream in(LogPath());
  for (std::string line; std::getline(in, line);) file.push_back(line);
  EXPECT_EQ(table, file);
  std::map<std::string, json::object> records = RequestRecords(LogFiles());
  for (const auto& [id, status] : after) {
    ASSERT_EQ(records.count(id), 1u) << id << " " << status;
    EXPECT_EQ(records[id].at("status").as_int64(), status) << id;
  }
  EXPECT_EQ(records.size(), 10u + after.size());
  EXPECT_NE(file.back().find("\"kind\":\"stop\""), std::string::npos);
  bool outage = false;
  for (const std::string& line : file) outage = outage || line.find("\"kind\":\"audit_outage\"") != std::string::npos;
  EXPECT_TRUE(outage);

  // `tessera audit verify --postgres` rehashes the table's chain…
  auto [ok_code, ok_out] = testing::RunTessera({"audit", "verify", "--postgres", url, "--table", table_name}, dir_);
  EXPECT_EQ(ok_code, 0) << ok_out;
  EXPECT_NE(ok_out.find(absl::StrCat("OK: ", file.size(), " records")), std::string::npos) << ok_out;
  // …and names the record someone changed behind the trigger's back.
  PGconn* db_conn = PQconnectdb(absl::StrCat("host=127.0.0.1 port=", pg_port, " user=postgres dbname=", db).c_str());
  ASSERT_EQ(PQstatus(db_conn), CONNECTION_OK);
  PQclear(PQexec(db_conn,
                 "ALTER TABLE audit.it_log DISABLE TRIGGER USER; "
                 "UPDATE audit.it_log SET line = replace(line, '\"status\":403', '\"status\":200') WHERE seq = "
                 "(SELECT min(seq) FROM audit.it_log WHERE line LIKE '%\"status\":403%')"));
  PGresult* edited = PQexec(db_conn, "SELECT min(seq) FROM audit.it_log WHERE line LIKE '%\"status\":200%' AND "
                                     "line LIKE '%\"outcome\":\"denied\"%'");
  ASSERT_EQ(PQresultStatus(edited), PGRES_TUPLES_OK);
  std::string edited_seq = PQgetvalue(edited, 0, 0);
  PQclear(edited);
  PQfinish(db_conn);
  ASSERT_FALSE(edited_seq.empty());
  auto [bad_code, bad_out] = testing::RunTessera({"audit", "verify", "--postgres", url, "--table", table_name}, dir_);
  EXPECT_EQ(bad_code, 1) << bad_out;
  EXPECT_NE(bad_out.find("(seq " + edited_seq + ")"), std::string::npos) << bad_out;
  EXPECT_EQ(bad_out.find("postgresql://"), std::string::npos) << "the URL is repeated: " << bad_out;
  PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)").c_str()));
  PQfinish(conn);
}

// A full disk, as the server sees it: writes beyond a size limit fail
// (RLIMIT_FSIZE, lowered on the running server), in the middle of a load.
TEST_F(AuditServerTest, AFullDiskDuringLoadRefusesDataRequestsUntilSpaceReturns) {
  std::string log;
  uint16_t port = Start(log, {{"TESSERA_AUDIT_ROTATE_BYTES", "0"}});
  ASSERT_GT(port, 0) << log;
  struct rlimit old_limit;
  ASSERT_EQ(::prlimit(server_.pid(), RLIMIT_FSIZE, nullptr, &old_limit), 0);
  std::string ready_while_full;
  std::map<std::string, int> answered = LoadWhile(port, "full", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    struct rlimit full = old_limit;
    full.rlim_cur = fs::file_size(LogPath());
    ASSERT_EQ(::prlimit(server_.pid(), RLIMIT_FSIZE, &full, nullptr), 0);
    EXPECT_TRUE(AwaitReadyz(port, 503));
    Readyz(port, &ready_while_full);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_EQ(::prlimit(server_.pid(), RLIMIT_FSIZE, &old_limit, nullptr), 0);
    EXPECT_TRUE(AwaitReadyz(port, 200));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  EXPECT_NE(ready_while_full.find("\"audit\":{\"ready\":false"), std::string::npos) << ready_while_full;
  server_.Stop();

  audit::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  ExpectRecordedExactlyTheAnswered(answered);
  std::ifstream in(LogPath());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("\"kind\":\"audit_outage\""), std::string::npos);
  EXPECT_NE(text.str().find("File too large"), std::string::npos);
}

// chattr +i: even root cannot write the file.
bool SetImmutable(const std::string& path, bool on) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  int flags = 0;
  bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
  flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
  ok = ok && ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
  ::close(fd);
  return ok;
}

TEST_F(AuditServerTest, AnUnwritableLogAtStartUpKeepsTheServerNotReadyUntilItCanWrite) {
  std::string log;
  ASSERT_GT(Start(log), 0) << log;
  server_.Stop();
  if (!SetImmutable(LogPath(), true)) GTEST_SKIP() << "this file system cannot make a file immutable";
  uint16_t port = Start(log);
  ASSERT_GT(port, 0) << log;
  EXPECT_NE(log.find("NOT WRITABLE"), std::string::npos) << log;
  EXPECT_EQ(Readyz(port), 503);
  auto refused = Send(port, Mixed("while-read-only", 0));
  EXPECT_EQ(refused.status, 503);
  ASSERT_TRUE(SetImmutable(LogPath(), false));
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = Send(port, Mixed(absl::StrCat("writable-", i), 0)).status;
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(Readyz(port), 200);
  server_.Stop();
  audit::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  // The refusal is on record, stored once the file was writable again.
  std::map<std::string, json::object> records = RequestRecords(LogFiles());
  ASSERT_TRUE(records.count("while-read-only"));
  EXPECT_EQ(records["while-read-only"].at("status").as_int64(), 503);
  EXPECT_EQ(records["while-read-only"].at("outcome").as_string(), "error");
}

TEST_F(AuditServerTest, AFileMadeReadOnlyDuringLoadRefusesUntilItIsWritable) {
  std::string log;
  uint16_t port = Start(log);
  ASSERT_GT(port, 0) << log;
  ASSERT_EQ(Send(port, Mixed("first", 0)).status, 200);
  if (!SetImmutable(LogPath(), true)) GTEST_SKIP() << "this file system cannot make a file immutable";
  ASSERT_TRUE(SetImmutable(LogPath(), false));
  std::map<std::string, int> answered = LoadWhile(port, "ro", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_TRUE(SetImmutable(LogPath(), true));
    EXPECT_TRUE(AwaitReadyz(port, 503));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_TRUE(SetImmutable(LogPath(), false));
    EXPECT_TRUE(AwaitReadyz(port, 200));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  server_.Stop();
  audit::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  ExpectRecordedExactlyTheAnswered(answered);
}

// on_failure: warn puts availability first: while the file is read-only
// nothing is refused and /readyz stays 200 (saying the log is not ready),
// and once it is writable every record is stored after the outage record.
TEST_F(AuditServerTest, InWarnModeAReadOnlyFileRefusesNothingAndLosesNoRecord) {
  std::string log;
  uint16_t port = Start(log, {{"TESSERA_AUDIT_ON_FAILURE", "warn"}});
  ASSERT_GT(port, 0) << log;
  ASSERT_EQ(Send(port, Mixed("first", 0)).status, 200);
  if (!SetImmutable(LogPath(), true)) GTEST_SKIP() << "this file system cannot make a file immutable";
  ASSERT_TRUE(SetImmutable(LogPath(), false));
  // Waits (up to 20 s) until /readyz says the audit log is (not) ready.
  auto await_audit_ready = [&](bool ready) {
    const std::string want = absl::StrCat("\"audit\":{\"ready\":", ready ? "true" : "false");
    std::string body;
    for (int i = 0; i < 200; ++i) {
      if (Readyz(port, &body) == 200 && body.find(want) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "/readyz never said " << want << ": " << body;
    return false;
  };
  std::map<std::string, int> answered = LoadWhile(port, "warn", [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_TRUE(SetImmutable(LogPath(), true));
    await_audit_ready(false);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_TRUE(SetImmutable(LogPath(), false));
    await_audit_ready(true);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  server_.Stop();
  audit::VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.failure->ToString();
  std::map<std::string, json::object> records = RequestRecords(LogFiles());
  for (const auto& [id, status] : answered) {
    EXPECT_NE(status, 503) << id;
    ASSERT_TRUE(records.count(id)) << id << " (" << status << ") has no record";
    EXPECT_EQ(records[id].at("status").as_int64(), status) << id;
  }
  int outages = 0;
  std::ifstream in(LogPath());
  for (std::string line; std::getline(in, line);) {
    absl::StatusOr<audit::OpenedRecord> r = audit::OpenLine(line);
    if (!r.ok() || r->fields.at("kind").as_string() != "audit_outage") continue;
    ++outages;
    EXPECT_EQ(r->fields.at("refused").as_int64(), 0);
    EXPECT_EQ(r->fields.at("unrecorded").as_int64(), 0);
    EXPECT_NE(std::string(r->fields.at("error").as_string()).find("not permitted"), std::string::npos) << line;
  }
  EXPECT_EQ(outages, 1);
}

// Rotation by size with a signing key: each closed file ends with a
// signature over its last hash, and `tessera audit verify --public-key`
// checks the whole log and every signature.
TEST_F(AuditServerTest, RotatedFilesAreSignedAndTheWholeLogVerifies) {
  constexpr char kKeyPem[] =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  auto signer = audit::RecordSigner::FromPem(kKeyPem);
  ASSERT_TRUE(signer.ok()) << signer.status();
  { std::ofstream(dir_ / "audit.key") << kKeyPem; }
  { std::ofstream(dir_ / "audit.pub") << (*signer)->public_pem(); }
  std::string log;
  uint16_t port = Start(log, {{"TESSERA_AUDIT_ROTATE_BYTES", "4096"}, {"TESSERA_AUDIT_SIGNING_KEY", "audit.key"}});
  ASSERT_GT(port, 0) << log;
  for (int i = 0; i < 30; ++i) Send(port, Mixed(absl::StrCat("rot-", i), i));
  server_.Stop();
  std::vector<std::string> files = LogFiles();
  ASSERT_GE(files.size(), 4u);
  std::vector<std::string> args = {"audit", "verify", "--public-key", "audit.pub"};
  // Newest first: the order on the command line does not matter.
  for (auto it = files.rbegin(); it != files.rend(); ++it) args.push_back(*it);
  auto [code, out] = testing::RunTessera(args, dir_);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find(absl::StrCat(files.size() - 1, " file signatures checked")), std::string::npos) << out;
  EXPECT_EQ(RequestRecords(files).size(), 30u);
  // One rotated file on its own, with the key: its signature vouches for it.
  auto [one_code, one_out] =
      testing::RunTessera({"audit", "verify", "--start-anywhere", "--public-key", "audit.pub", files[1]}, dir_);
  EXPECT_EQ(one_code, 0) << one_out;
}

}  // namespace
}  // namespace tessera
