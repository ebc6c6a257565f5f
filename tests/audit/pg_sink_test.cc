// The PostgreSQL audit sink against a real server. The project's test
// command starts one with scripts/pg-test-server.sh and sets
// TESSERA_TEST_PG_PORT (without it these tests are skipped; the server is
// 127.0.0.1, superuser "postgres" trusted, database "ecom"). Each test works
// in a schema of its own, and drops it and the roles it made.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit/chain.h"
#include "audit/pg_schema.h"
#include "audit/pg_session.h"
#include "audit/pg_sink.h"
#include "audit/table_verifier.h"
#include "audit/record_fields.h"

namespace tessera::audit {
namespace {

std::string Port() {
  const char* port = std::getenv("TESSERA_TEST_PG_PORT");
  return port != nullptr ? port : "";
}

std::string ConnInfo(const std::string& user = "postgres", const std::string& extra = "") {
  return absl::StrCat("host=127.0.0.1 port=", Port(), " dbname=ecom user=", user, " ", extra);
}

::testing::AssertionResult MessageHas(const absl::Status& status, std::string_view text) {
  if (std::string(status.message()).find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << status.message() << "\" lacks \"" << text << "\"";
}

::testing::AssertionResult MessageLacks(const absl::Status& status, std::string_view text) {
  if (std::string(status.message()).find(text) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << status.message() << "\" contains \"" << text << "\"";
}

// A plain libpq session for setup, inspection and sabotage.
class Client {
 public:
  explicit Client(const std::string& user = "postgres") {
    conn_ = PQconnectdb(ConnInfo(user).c_str());
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    PQclear(PQexec(conn_, "SET client_min_messages = warning"));
  }
  ~Client() { PQfinish(conn_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs `sql` (one or more statements), expecting success; returns the
  // first cell of the last result, if any.
  std::string Run(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) << sql << ": " << PQresultErrorMessage(res);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(res) > 0) out = PQgetvalue(res, 0, 0);
    PQclear(res);
    return out;
  }

  // Runs `sql`, expecting it to fail; returns the error message.
  std::string Fail(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(res);
    EXPECT_EQ(status, PGRES_FATAL_ERROR) << sql << " succeeded";
    std::string out = PQresultErrorMessage(res);
    PQclear(res);
    return out;
  }

 private:
  PGconn* conn_;
};

// `n` records continuing from `at` (which moves to the last one).
std::vector<SealedRecord> Records(ChainPoint& at, int n, std::string_view subject = "alice") {
  std::vector<SealedRecord> out;
  for (int i = 0; i < n; ++i) {
    SealedRecord r = Seal(at, RecordFields()
                                  .Str("time", RecordTime())
                                  .Str("kind", "request")
                                  .Str("subject", subject)
                                  .Str("tenant", "acme")
                                  .Int("rows", i)
                                  .text());
    at = ChainPoint{r.seq, r.hash};
    out.push_back(std::move(r));
  }
  return out;
}

std::string WithoutNewline(const SealedRecord& r) { return r.line.substr(0, r.line.size() - 1); }

class PostgresAuditSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Port().empty()) GTEST_SKIP() << "TESSERA_TEST_PG_PORT is not set";
    static std::atomic<int> counter{0};
    schema_ = absl::StrCat("tessera_audit_test_", getpid(), "_", counter++);
    table_ = absl::StrCat(schema_, ".tessera_audit");
    admin_ = std::make_unique<Client>();
    admin_->Run(absl::StrCat("DROP SCHEMA IF EXISTS ", schema_, " CASCADE; CREATE SCHEMA ", schema_));
  }

  void TearDown() override {
    if (admin_ == nullptr) return;
    admin_->Run(absl::StrCat("DROP SCHEMA IF EXISTS ", schema_, " CASCADE"));
    for (const std::string& role : roles_) admin_->Run(absl::StrCat("DROP OWNED BY ", role, "; DROP ROLE ", role));
  }

  // A login role that TearDown drops.
  std::string MakeRole(const std::string& name, const std::string& password = "") {
    std::string role = absl::StrCat(name, "_", getpid());
    admin_->Run(absl::StrCat("DROP ROLE IF EXISTS ", role));
    admin_->Run(absl::StrCat("CREATE ROLE ", role, " LOGIN",
                             password.empty() ? "" : absl::StrCat(" PASSWORD '", password, "'")));
    roles_.push_back(role);
    return role;
  }

  std::unique_ptr<PostgresAuditSink> NewSink(const std::string& conninfo = ConnInfo(), std::string table = "") {
    absl::StatusOr<std::unique_ptr<PostgresAuditSink>> sink = PostgresAuditSink::Create(
        {.conninfo = conninfo, .table = table.empty() ? table_ : table, .connect_timeout = std::chrono::seconds(3)});
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? *std::move(sink) : nullptr;
  }

  std::string Count() { return admin_->Run(absl::StrCat("SELECT count(*) FROM ", table_)); }

  std::string schema_;
  std::string table_;
  std::unique_ptr<Client> admin_;
  std::vector<std::string> roles_;
};

TEST(PostgresAuditSinkConfigTest, TableNamesMustBePlainIdentifiers) {
  for (const std::string& bad : std::vector<std::string>{"", "tessera audit", "a.b.c", "1audit", "audit;drop", "\"audit\"", "audit.",
                          ".audit", "a-b", std::string(49, 'a'), std::string(64, 's') + ".audit"}) {
    absl::StatusOr<std::unique_ptr<PostgresAuditSink>> sink =
        PostgresAuditSink::Create({.conninfo = "host=127.0.0.1", .table = bad});
    EXPECT_TRUE(absl::IsInvalidArgument(sink.status())) << bad;
    if (bad.size() > 3) {
      EXPECT_TRUE(MessageLacks(sink.status(), bad));
    }
  }
  for (const std::string& good : std::vector<std::string>{"tessera_audit", "audit.log_2026", "_a", std::string(48, 'a'),
                           std::string(63, 's') + ".t"}) {
    absl::StatusOr<std::unique_ptr<PostgresAuditSink>> sink =
        PostgresAuditSink::Create({.conninfo = "host=127.0.0.1", .table = good});
    ASSERT_TRUE(sink.ok()) << good << ": " << sink.status();
    EXPECT_EQ((*sink)->Describe(), "postgresql table " + good);
  }
  absl::StatusOr<AuditTableName> name = AuditTableName::Parse("Audit.Log");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->Quoted(), "\"Audit\".\"Log\"");
}

TEST(PostgresAuditSinkConfigTest, AMalformedConnectionStringIsNotRepeated) {
  for (const char* conninfo : {"host=127.0.0.1 password=hunter2 extra", "host='x password=hunter2",
                               "postgresql://u:hunter2@127.0.0.1:5432/db?bogus=hunter2"}) {
    absl::StatusOr<std::unique_ptr<PostgresAuditSink>> sink = PostgresAuditSink::Create({.conninfo = conninfo});
    EXPECT_TRUE(absl::IsInvalidArgument(sink.status())) << conninfo;
    EXPECT_TRUE(MessageLacks(sink.status(), "hunter2"));
  }
}

TEST(PostgresAuditSinkConfigTest, RollbackIsRefusedAndAppendNeedsOpen) {
  absl::StatusOr<std::unique_ptr<PostgresAuditSink>> sink = PostgresAuditSink::Create({.conninfo = "host=127.0.0.1"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  absl::Status rollback = (*sink)->Rollback();
  EXPECT_TRUE(absl::IsFailedPrecondition(rollback));
  EXPECT_TRUE(MessageHas(rollback, "append-only; it must be the last sink"));
  ChainPoint at;
  EXPECT_TRUE(absl::IsFailedPrecondition((*sink)->Append(Records(at, 1))));
  EXPECT_TRUE(absl::IsFailedPrecondition((*sink)->RecordsAfter(0, 10).status()));
}

TEST_F(PostgresAuditSinkTest, OpenOnAnEmptyDatabaseCreatesTheTable) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT to_regclass('", table_, "') IS NULL")), "t");
  absl::StatusOr<ChainPoint> end = sink->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, ChainPoint{});
  EXPECT_EQ(end->hash, std::string(kGenesisHash));
  EXPECT_EQ(Count(), "0");
  EXPECT_EQ(sink->Describe(), "postgresql table " + table_);

  // The columns, constraints, indexes and the trigger are all there.
  EXPECT_EQ(admin_->Run(absl::StrCat(
                "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) "
                "FROM information_schema.columns WHERE table_schema = '", schema_, "' AND table_name = 'tessera_audit'")),
            "seq:bigint,prev:character,hash:character,time:timestamp with time zone,kind:text,line:text,"
            "record:jsonb");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
                                     "WHERE schemaname = '", schema_, "'")),
            "tessera_audit_hash_key,tessera_audit_pkey,tessera_audit_prev_key,tessera_audit_subject_idx,"
            "tessera_audit_tenant_idx,tessera_audit_time_idx");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FROM pg_trigger WHERE tgrelid = '", table_,
                                     "'::regclass AND NOT tgisinternal")),
            "1");
  EXPECT_NE(admin_->Fail(absl::StrCat("INSERT INTO ", table_, " (seq, prev, hash, time, kind, line) VALUES "
                                      "(0, 'a', 'b', now(), 'x', '{}')")).find("check constraint"),
            std::string::npos);

  // Opening again (another sink, or after a failure) changes nothing.
  std::unique_ptr<PostgresAuditSink> again = NewSink();
  end = again->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, ChainPoint{});
  end = sink->Open();
  ASSERT_TRUE(end.ok()) << end.status();
}

TEST_F(PostgresAuditSinkTest, AppendedRecordsAreFoundByANewSink) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  std::vector<SealedRecord> first = Records(at, 3);
  ASSERT_TRUE(sink->Append(first).ok());
  std::vector<SealedRecord> second = Records(at, 2, "bob");
  absl::Status appended = sink->Append(second);
  ASSERT_TRUE(appended.ok()) << appended;
  ASSERT_TRUE(sink->Append({}).ok());

  EXPECT_EQ(Count(), "5");
  std::unique_ptr<PostgresAuditSink> reader = NewSink();
  absl::StatusOr<ChainPoint> end = reader->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, (ChainPoint{5, second.back().hash}));

  // The columns come from the lines, and investigators can query `record`.
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM ", table_,
                                     " WHERE record->>'subject' = 'bob' AND kind = 'request'")),
            "4,5");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT prev || ' ' || hash FROM ", table_, " WHERE seq = 4")),
            first.back().hash + " " + second.front().hash);
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FROM ", table_,
                                     " WHERE time > now() - interval '1 hour' AND time <= now()")),
            "5");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT line FROM ", table_, " WHERE seq = 2")), WithoutNewline(first[1]));

  // The new sink continues where the first one stopped.
  ASSERT_TRUE(reader->Append(Records(at, 1)).ok());
  EXPECT_EQ(Count(), "6");
}

TEST_F(PostgresAuditSinkTest, RecordsAfterReturnsTheExactLines) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  std::vector<SealedRecord> records = Records(at, 5);
  ASSERT_TRUE(sink->Append(records).ok());

  absl::StatusOr<std::vector<SealedRecord>> after = sink->RecordsAfter(2, 100);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*after)[i].seq, records[i + 2].seq);
    EXPECT_EQ((*after)[i].hash, records[i + 2].hash);
    EXPECT_EQ((*after)[i].line, records[i + 2].line);  // byte for byte, newline included
  }
  after = sink->RecordsAfter(0, 2);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[1].line, records[1].line);
  EXPECT_TRUE(sink->RecordsAfter(5, 10)->empty());
  EXPECT_TRUE(sink->RecordsAfter(0, 0)->empty());
}

TEST_F(PostgresAuditSinkTest, ABatchThatDoesNotContinueTheChainIsRefusedWhole) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  std::vector<SealedRecord> stored = Records(at, 2);
  ASSERT_TRUE(sink->Append(stored).ok());

  // Starts from genesis again: the table ends at seq 2.
  ChainPoint genesis;
  absl::Status s = sink->Append(Records(genesis, 3, "mallory"));
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_TRUE(MessageHas(s, "chain ends at seq 2, not 0: another writer?"));

  // Continues seq 1 instead of seq 2 (a fork).
  ChainPoint after_first{stored[0].seq, stored[0].hash};
  s = sink->Append(Records(after_first, 2, "mallory"));
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_TRUE(MessageHas(s, "chain ends at seq 2, not 1"));

  // The right seq after a different record.
  ChainPoint elsewhere{2, std::string(64, 'a')};
  s = sink->Append(Records(elsewhere, 1, "mallory"));
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;

  // A good start, then a gap inside the batch.
  ChainPoint cont = at;
  std::vector<SealedRecord> gap = Records(cont, 3, "mallory");
  gap.erase(gap.begin() + 1);
  s = sink->Append(gap);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_TRUE(MessageHas(s, "does not chain at seq 5"));  // seq 4 was taken out

  // A record whose line was edited after sealing.
  cont = at;
  std::vector<SealedRecord> edited = Records(cont, 2, "mallory");
  edited[1].line.replace(edited[1].line.find("mallory"), 7, "malory_");
  s = sink->Append(edited);
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;

  EXPECT_EQ(Count(), "2");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FROM ", table_, " WHERE line LIKE '%mallory%'")), "0");

  // The sink still knows where the chain ends.
  absl::Status good = sink->Append(Records(at, 1));
  EXPECT_TRUE(good.ok()) << good;
  EXPECT_EQ(Count(), "3");
}

TEST_F(PostgresAuditSinkTest, TwoSinksCannotBothAppendAfterTheSamePoint) {
  std::unique_ptr<PostgresAuditSink> a = NewSink();
  std::unique_ptr<PostgresAuditSink> b = NewSink();
  ChainPoint at;
  ASSERT_TRUE(a->Open().ok());
  ASSERT_TRUE(a->Append(Records(at, 2)).ok());
  absl::StatusOr<ChainPoint> b_end = b->Open();
  ASSERT_TRUE(b_end.ok());
  ASSERT_EQ(*b_end, at);

  ChainPoint a_at = at, b_at = at;
  std::vector<SealedRecord> a_batch = Records(a_at, 2, "from-a");
  std::vector<SealedRecord> b_batch = Records(b_at, 2, "from-b");
  ASSERT_TRUE(a->Append(a_batch).ok());
  absl::Status s = b->Append(b_batch);
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_TRUE(MessageHas(s, "another writer"));
  EXPECT_EQ(Count(), "4");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FROM ", table_, " WHERE record->>'subject' = 'from-b'")), "0");

  // B must reopen, and then continues after A's records.
  EXPECT_TRUE(absl::IsFailedPrecondition(b->Append(b_batch)));
  b_end = b->Open();
  ASSERT_TRUE(b_end.ok());
  EXPECT_EQ(*b_end, a_at);
  EXPECT_TRUE(b->Append(Records(a_at, 1, "from-b")).ok());

  // Even under another seq, nobody can continue from a record twice.
  std::string error = admin_->Fail(absl::StrCat("INSERT INTO ", table_,
                                                " (seq, prev, hash, time, kind, line) SELECT 100, prev, "
                                                "repeat('e', 64), time, kind, line FROM ",
                                                table_, " WHERE seq = 3"));
  EXPECT_NE(error.find("tessera_audit_prev_key"), std::string::npos) << error;
}

TEST_F(PostgresAuditSinkTest, RacingSinksStoreExactlyOneBatch) {
  std::unique_ptr<PostgresAuditSink> a = NewSink();
  std::unique_ptr<PostgresAuditSink> b = NewSink();
  ChainPoint at;
  for (int round = 0; round < 5; ++round) {
    ASSERT_TRUE(a->Open().ok());
    ASSERT_TRUE(b->Open().ok());
    ChainPoint a_at = at, b_at = at;
    std::vector<SealedRecord> a_batch = Records(a_at, 3, "from-a");
    std::vector<SealedRecord> b_batch = Records(b_at, 3, "from-b");
    absl::Status a_status, b_status;
    std::latch go(2);
    std::thread ta([&] { go.arrive_and_wait(); a_status = a->Append(a_batch); });
    std::thread tb([&] { go.arrive_and_wait(); b_status = b->Append(b_batch); });
    ta.join();
    tb.join();
    ASSERT_NE(a_status.ok(), b_status.ok()) << a_status << " / " << b_status;
    const absl::Status& lost = a_status.ok() ? b_status : a_status;
    EXPECT_TRUE(absl::IsFailedPrecondition(lost)) << lost;
    at = a_status.ok() ? a_at : b_at;
    EXPECT_EQ(Count(), std::to_string(at.seq));
  }
  absl::StatusOr<ChainPoint> end = NewSink()->Open();
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(*end, at);
}

TEST_F(PostgresAuditSinkTest, TheTriggerRefusesUpdateDeleteAndTruncateEvenForTheOwner) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  ASSERT_TRUE(sink->Append(Records(at, 3)).ok());
  ASSERT_EQ(admin_->Run(absl::StrCat("SELECT tableowner FROM pg_tables WHERE schemaname = '", schema_, "'")),
            "postgres");  // the superuser, who owns the table, is the one refused here

  for (const std::string& sql :
       {absl::StrCat("UPDATE ", table_, " SET kind = 'edited' WHERE seq = 2"),
        absl::StrCat("UPDATE ", table_, " SET kind = 'edited' WHERE false"),
        absl::StrCat("DELETE FROM ", table_, " WHERE seq = 3"), absl::StrCat("DELETE FROM ", table_),
        absl::StrCat("TRUNCATE ", table_)}) {
    std::string error = admin_->Fail(sql);
    EXPECT_NE(error.find("is append-only"), std::string::npos) << sql << ": " << error;
  }
  EXPECT_EQ(Count(), "3");
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FROM ", table_, " WHERE kind = 'request'")), "3");
}

TEST_F(PostgresAuditSinkTest, AnInsertSelectRoleCanAppendToAnAdminsTableButNotRewriteIt) {
  const std::string writer = MakeRole("tessera_audit_writer", "writer-secret");
  absl::StatusOr<AuditTableName> name = AuditTableName::Parse(table_);
  ASSERT_TRUE(name.ok());
  // What the README tells an administrator to run.
  admin_->Run(AuditTableScript(*name));
  admin_->Run(absl::StrCat("REVOKE ALL ON ", table_, " FROM PUBLIC; GRANT USAGE ON SCHEMA ", schema_, " TO ", writer,
                           "; GRANT SELECT, INSERT ON ", table_, " TO ", writer));
  // The script is idempotent.
  admin_->Run(AuditTableScript(*name));

  const std::string conninfo = ConnInfo(writer, "password=writer-secret");
  std::unique_ptr<PostgresAuditSink> sink = NewSink(conninfo);
  absl::StatusOr<ChainPoint> end = sink->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, ChainPoint{});
  ChainPoint at;
  ASSERT_TRUE(sink->Append(Records(at, 2)).ok());
  absl::Status s = sink->Append(Records(at, 3));
  ASSERT_TRUE(s.ok()) << s;
  end = NewSink(conninfo)->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, at);

  Client as_writer(writer);
  for (const std::string& sql :
       {absl::StrCat("UPDATE ", table_, " SET kind = 'edited'"), absl::StrCat("DELETE FROM ", table_),
        absl::StrCat("TRUNCATE ", table_), absl::StrCat("ALTER TABLE ", table_, " DISABLE TRIGGER ALL"),
        absl::StrCat("DROP TABLE ", table_), absl::StrCat("CREATE TABLE ", schema_, ".other (x int)")}) {
    std::string error = as_writer.Fail(sql);
    EXPECT_TRUE(error.find("permission denied") != std::string::npos ||
                error.find("must be owner") != std::string::npos)
        << sql << ": " << error;
  }
  EXPECT_EQ(Count(), "5");

  // Without CREATE on the schema, a missing table is a clear error.
  absl::StatusOr<ChainPoint> missing = NewSink(conninfo, schema_ + ".nowhere")->Open();
  EXPECT_TRUE(absl::IsPermissionDenied(missing.status())) << missing.status();
  EXPECT_TRUE(MessageHas(missing.status(), "cannot create the PostgreSQL audit table"));
  EXPECT_TRUE(MessageLacks(missing.status(), "writer-secret"));
}

TEST_F(PostgresAuditSinkTest, ABrokenConnectionIsUnavailableUntilOpen) {
  const std::string app = absl::StrCat("tessera_audit_kill_", getpid());
  std::unique_ptr<PostgresAuditSink> sink = NewSink(ConnInfo("postgres", "application_name=" + app));
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  ASSERT_TRUE(sink->Append(Records(at, 1)).ok());

  // Waits (up to 5 s) until the backend has gone.
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
                                     "FROM pg_stat_activity WHERE application_name = '", app, "'")),
            "1");
  ChainPoint next = at;
  std::vector<SealedRecord> batch = Records(next, 2);
  absl::Status s = sink->Append(batch);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_TRUE(MessageHas(s, "PostgreSQL audit table unavailable"));
  // Not until it is reopened.
  EXPECT_FALSE(sink->Append(batch).ok());

  absl::StatusOr<ChainPoint> end = sink->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, at);
  s = sink->Append(batch);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(), "3");
}

TEST_F(PostgresAuditSinkTest, ThePasswordNeverAppearsInAStatus) {
  const std::string password = absl::StrCat("Pw-", getpid(), "-do-not-leak");
  const std::string role = MakeRole("tessera_audit_pw", password);
  const std::vector<std::string> conninfos = {
      // Nothing listens on port 1.
      absl::StrCat("host=127.0.0.1 port=1 dbname=ecom user=", role, " password=", password),
      absl::StrCat("postgresql://", role, ":", password, "@127.0.0.1:1/ecom"),
      absl::StrCat("host=/nonexistent/socket/dir dbname=ecom user=", role, " password='", password, "'"),
      // A role named like the password: the server quotes role names.
      absl::StrCat("host=127.0.0.1 port=", Port(), " dbname=ecom user=", password, " password=", password),
      absl::StrCat("host=127.0.0.1 port=", Port(), " dbname=no_such_db_", password, " user=", role,
                   " password=", password),
  };
  for (const std::string& conninfo : conninfos) {
    std::unique_ptr<PostgresAuditSink> sink = NewSink(conninfo);
    ASSERT_NE(sink, nullptr);
    EXPECT_TRUE(sink->Describe().find(password) == std::string::npos);
    absl::StatusOr<ChainPoint> end = sink->Open();
    EXPECT_TRUE(absl::IsUnavailable(end.status())) << end.status();
    EXPECT_TRUE(MessageLacks(end.status(), password));
    EXPECT_TRUE(MessageHas(end.status(), "PostgreSQL audit table unavailable"));
    absl::Status read = ReadAuditTable(conninfo, table_, [](std::string_view) { return absl::OkStatus(); });
    EXPECT_TRUE(absl::IsUnavailable(read)) << read;
    EXPECT_TRUE(MessageLacks(read, password));
  }
  // The right port works with the same (trusted) role.
  absl::StatusOr<ChainPoint> end =
      NewSink(absl::StrCat("host=127.0.0.1 port=", Port(), " dbname=ecom user=postgres password=", password))->Open();
  EXPECT_TRUE(end.ok()) << end.status();
}

TEST_F(PostgresAuditSinkTest, AnEditedLastRecordMakesOpenFailWithDataLoss) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  ASSERT_TRUE(sink->Append(Records(at, 3)).ok());
  const std::string guard = "tessera_audit_append_only";

  // Only a superuser or the owner can switch the trigger off to do this.
  admin_->Run(absl::StrCat("ALTER TABLE ", table_, " DISABLE TRIGGER ", guard, "; UPDATE ", table_,
                           " SET line = replace(line, 'alice', 'mallory') WHERE seq = 3; ALTER TABLE ", table_,
                           " ENABLE TRIGGER ", guard));
  absl::StatusOr<ChainPoint> end = NewSink()->Open();
  EXPECT_TRUE(absl::IsDataLoss(end.status())) << end.status();
  EXPECT_TRUE(MessageHas(end.status(), "damaged at seq 3"));
  EXPECT_TRUE(absl::IsDataLoss(sink->Open().status()));

  // Put the line back but change its hash column: still caught.
  admin_->Run(absl::StrCat("ALTER TABLE ", table_, " DISABLE TRIGGER ", guard, "; UPDATE ", table_,
                           " SET line = replace(line, 'mallory', 'alice'), hash = repeat('0', 64) WHERE seq = 3; "
                           "ALTER TABLE ", table_, " ENABLE TRIGGER ", guard));
  end = NewSink()->Open();
  EXPECT_TRUE(absl::IsDataLoss(end.status())) << end.status();
  EXPECT_TRUE(MessageHas(end.status(), "seq 3"));

  // Restored: opens again.
  admin_->Run(absl::StrCat("ALTER TABLE ", table_, " DISABLE TRIGGER ", guard, "; UPDATE ", table_, " SET hash = '",
                           at.hash, "' WHERE seq = 3; ALTER TABLE ", table_, " ENABLE TRIGGER ", guard));
  end = NewSink()->Open();
  ASSERT_TRUE(end.ok()) << end.status();
  EXPECT_EQ(*end, at);
}

TEST_F(PostgresAuditSinkTest, ARecordWithANulEscapeIsStored) {
  // jsonb refuses \u0000; a request may still carry a NUL character.
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  SealedRecord r = Seal(at, RecordFields()
                                .Str("time", RecordTime())
                                .Str("kind", "request")
                                .Str("subject", std::string("nul\0here", 8))
                                .Str("tenant", "acme")
                                .text());
  ASSERT_NE(r.line.find("\\u0000"), std::string::npos);
  absl::Status s = sink->Append({r});
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT line FROM ", table_)), WithoutNewline(r));
  EXPECT_EQ(admin_->Run(absl::StrCat("SELECT record->>'subject' FROM ", table_)), "nul\xEF\xBF\xBDhere");
  absl::StatusOr<std::vector<SealedRecord>> back = sink->RecordsAfter(0, 10);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(back->front().line, r.line);
}

TEST_F(PostgresAuditSinkTest, ReadAuditTableReadsEveryLineInOrderAcrossPages) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  // One batch larger than one INSERT statement takes, read back in pages.
  std::vector<SealedRecord> records = Records(at, 2345);
  absl::Status s = sink->Append(records);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Count(), "2345");

  std::vector<std::string> lines;
  s = ReadAuditTable(ConnInfo(), table_, [&](std::string_view line) {
    lines.emplace_back(line);
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(lines.size(), records.size());
  for (size_t i = 0; i < lines.size(); ++i) ASSERT_EQ(lines[i], WithoutNewline(records[i])) << i;

  // The callback's error stops the reading.
  int calls = 0;
  s = ReadAuditTable(ConnInfo(), table_, [&](std::string_view) {
    return ++calls == 1500 ? absl::DataLossError("stop here") : absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsDataLoss(s));
  EXPECT_EQ(calls, 1500);

  s = ReadAuditTable(ConnInfo(), schema_ + ".nowhere", [](std::string_view) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_TRUE(absl::IsInvalidArgument(
      ReadAuditTable(ConnInfo(), "x;y", [](std::string_view) { return absl::OkStatus(); })));
}

// The hash covers the line; the columns investigators query must agree
// with it, or `verify --postgres` names the row.
TEST_F(PostgresAuditSinkTest, VerifyNamesARowWhoseColumnsDifferFromItsLine) {
  std::unique_ptr<PostgresAuditSink> sink = NewSink();
  ASSERT_TRUE(sink->Open().ok());
  ChainPoint at;
  // A log begins with file_start, as the server writes it.
  SealedRecord start = Seal(
      at, RecordFields().Str("time", RecordTime()).Str("kind", "file_start").Int("file", 1).Null("previous_file").text());
  at = ChainPoint{start.seq, start.hash};
  ASSERT_TRUE(sink->Append({start}).ok());
  ASSERT_TRUE(sink->Append(Records(at, 5)).ok());
  absl::StatusOr<VerifyReport> clean = VerifyAuditTable(ConnInfo(), table_, VerifyOptions{});
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_FALSE(clean->failure.has_value()) << clean->failure->ToString();
  EXPECT_EQ(clean->records, 6);

  const std::string guard = "tessera_audit_append_only";
  const std::pair<std::string, std::string> edits[] = {
      {"kind", "kind = 'start'"},
      {"time", "time = time - interval '1 hour'"},
  };
  for (const auto& [column, set] : edits) {
    admin_->Run(absl::StrCat("ALTER TABLE ", table_, " DISABLE TRIGGER ", guard, "; CREATE TEMP TABLE keep AS SELECT * FROM ",
                             table_, " WHERE seq = 4; UPDATE ", table_, " SET ", set, " WHERE seq = 4"));
    absl::StatusOr<VerifyReport> report = VerifyAuditTable(ConnInfo(), table_, VerifyOptions{});
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_TRUE(report->failure.has_value()) << column;
    EXPECT_EQ(report->failure->seq, 4) << report->failure->ToString();
    EXPECT_TRUE(absl::StrContains(report->failure->reason, "the row's " + column + " column differs"))
        << report->failure->ToString();
    // Put back for the next edit.
    admin_->Run(absl::StrCat("UPDATE ", table_, " t SET kind = k.kind, time = k.time FROM keep k WHERE t.seq = 4; "
                             "DROP TABLE keep; ALTER TABLE ", table_, " ENABLE TRIGGER ", guard));
  }
  absl::StatusOr<VerifyReport> again = VerifyAuditTable(ConnInfo(), table_, VerifyOptions{});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->failure.has_value()) << again->failure->ToString();
}

TEST_F(PostgresAuditSinkTest, TheSessionCommitsSynchronouslyWhateverTheDefaults) {
  const std::string lazy = MakeRole("tessera_audit_lazy");
  admin_->Run(absl::StrCat("ALTER ROLE ", lazy, " SET synchronous_commit = off"));
  {
    Client plain(lazy);
    EXPECT_EQ(plain.Run("SHOW synchronous_commit"), "off");  // what the sink would otherwise get
  }
  absl::StatusOr<std::unique_ptr<PgAuditSession>> session =
      PgAuditSession::Connect(ConnInfo(lazy), {.statement_timeout = std::chrono::milliseconds(300)});
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<PgResult> shown = (*session)->Exec("SHOW synchronous_commit");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->rows.at(0).at(0), "on");
  shown = (*session)->Exec("SHOW application_name");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->rows.at(0).at(0), "tessera-audit");

  absl::StatusOr<PgResult> slow = (*session)->Exec("SELECT pg_sleep(3)");
  EXPECT_TRUE(absl::IsDeadlineExceeded(slow.status())) << slow.status();
  EXPECT_TRUE((*session)->healthy());
}

}  // namespace
}  // namespace tessera::audit
