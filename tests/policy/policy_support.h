#pragma once
// Shared helpers for the access-policy tests: tokens, an App over a data
// source with token identity, a /load loop that sends headers, direct SQLite
// access for ground truth, and small JSON utilities.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/app.h"
#include "driver/data_source.h"
#include "identity/identity_stage.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "model/compiled_model.h"
#include "policy/query_rewrite.h"
#include "support/app_harness.h"
#include "tenancy/tenancy_config.h"
#include "tenancy/tenant_directory.h"

namespace tessera::policy_test {

namespace fs = std::filesystem;
namespace json = boost::json;

inline constexpr char kSecret[] = "policy-test-secret-of-at-least-32-bytes";

inline std::string SourceDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return env ? env : TESSERA_SOURCE_DIR;
}

// An HS256 token carrying `claims` plus iat/exp.
inline std::string Token(json::object claims) {
  identity::jose::Jwk key = identity::jose::SecretJwk(kSecret);
  int64_t now = identity::SystemSeconds();
  claims["iat"] = now;
  claims["exp"] = now + 3600;
  auto token = identity::jose::SignCompactJws(identity::jose::Algorithm::kHS256, key, json::object{},
                                              json::serialize(claims));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : std::string();
}

inline std::map<std::string, std::string> Auth(const std::string& token) {
  return {{"authorization", token}};
}

// AppOptions::roles_claim is part of the feature under test; a build where it
// does not exist yet still compiles, and the tests that need it fail.
template <typename Options>
bool SetRolesClaim(Options& options, const std::string& claim) {
  if constexpr (requires { options.roles_claim = claim; }) {
    options.roles_claim = claim;
    return true;
  } else {
    return false;
  }
}

inline api::AppOptions DefaultOptions() {
  api::AppOptions options;
  options.worker_threads = 2;
  options.continue_wait = std::chrono::seconds(60);
  return options;
}

inline std::unique_ptr<api::App> TokenApp(model::CompiledModelPtr model, driver::DataSourcePtr source,
                                          api::AppOptions options = DefaultOptions()) {
  identity::TokenSettings settings;
  settings.api_secret = kSecret;
  auto policy = identity::BuildTokenPolicy(settings);
  EXPECT_TRUE(policy.ok()) << policy.status();
  if (!policy.ok()) return nullptr;
  return std::make_unique<api::App>(std::move(options), std::move(model), std::move(source),
                                    identity::MakeTokenIdentity(*policy));
}

// The tenant directory tessera.yaml text describes (its `query_rewrite:` and
// `tenancy:` sections), with relative paths under `config_dir`.
inline absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> Directory(
    model::CompiledModelPtr model, const std::string& config_yaml, const fs::path& config_dir,
    driver::DataSourcePtr shared, const std::string& roles_claim = "role",
    const std::string& model_dir = "") {
  tenancy::TenantDirectoryOptions options;
  options.roles_claim = roles_claim;
  options.config_dir = config_dir.string();
  options.model_dir = model_dir;
  auto rules = policy::ReadRewriteRules(config_yaml, "tessera.yaml");
  if (!rules.ok()) return rules.status();
  options.rewrite_rules = *std::move(rules);
  auto tenancy = tenancy::ReadTenancyConfig(config_yaml, "tessera.yaml");
  if (!tenancy.ok()) return tenancy.status();
  options.tenancy = *std::move(tenancy);
  auto directory = tenancy::TenantDirectory::Create(std::move(options), std::move(model), std::move(shared));
  if (!directory.ok()) return directory.status();
  return std::shared_ptr<tenancy::TenantDirectory>(*std::move(directory));
}

// A token-authenticated App over a configured tenant directory.
inline std::unique_ptr<api::App> TenantApp(std::shared_ptr<tenancy::TenantDirectory> directory,
                                           api::AppOptions options = DefaultOptions()) {
  identity::TokenSettings settings;
  settings.api_secret = kSecret;
  auto policy = identity::BuildTokenPolicy(settings);
  EXPECT_TRUE(policy.ok()) << policy.status();
  if (!policy.ok() || directory == nullptr) return nullptr;
  return std::make_unique<api::App>(std::move(options), std::move(directory), identity::MakeTokenIdentity(*policy));
}

inline std::unique_ptr<api::App> DevApp(model::CompiledModelPtr model, driver::DataSourcePtr source,
                                        api::AppOptions options = DefaultOptions()) {
  return std::make_unique<api::App>(std::move(options), std::move(model), std::move(source),
                                    identity::MakeDevModeIdentity());
}

// GET /load with headers, repeated while the API says "Continue wait".
inline http::Response LoadAs(api::App& app, const std::string& query_json, const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers = Auth(token);
  for (int i = 0; i < 100; ++i) {
    http::Response r = testing::Call(app, "GET", "/cubejs-api/v1/load", {{"query", query_json}}, {}, headers);
    if (r.body != R"({"error":"Continue wait"})") return r;
  }
  http::Response r;
  r.status = -1;
  r.body = "still waiting after 100 polls";
  return r;
}

inline http::Response GetAs(api::App& app, const std::string& endpoint, const std::string& token,
                            const std::string& query_json = {}) {
  std::map<std::string, std::string> params;
  if (!query_json.empty()) params["query"] = query_json;
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers = Auth(token);
  return testing::Call(app, "GET", "/cubejs-api/v1/" + endpoint, params, {}, headers);
}

inline std::string HiddenMemberBody(const std::string& member) {
  return json::serialize(json::object{{"error", "You requested hidden member: '" + member + "'"}});
}

// The rows of a 200 /load answer, or an empty array (with a test failure).
inline json::array Rows(const http::Response& r) {
  json::value v = testing::Json(r);
  if (r.status != 200 || !v.is_object() || !v.as_object().contains("data") ||
      !v.as_object().at("data").is_array()) {
    ADD_FAILURE() << "expected a 200 answer with data, got " << r.status << ": " << r.body.substr(0, 2000);
    return {};
  }
  return v.as_object().at("data").as_array();
}

// A cell as text: strings as they are, numbers printed, null as nullopt.
inline std::optional<std::string> CellText(const json::value* v) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  return json::serialize(*v);
}

inline int64_t CellInt(const json::value& row, const std::string& key) {
  auto text = CellText(row.as_object().if_contains(key));
  if (!text) {
    ADD_FAILURE() << "no value for " << key << " in " << json::serialize(row);
    return -1;
  }
  return std::stoll(*text);
}

// Numbers arrive as strings; compare them as numbers when both parse.
inline bool SameScalar(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  char* ea = nullptr;
  char* eb = nullptr;
  double x = std::strtod(a->c_str(), &ea);
  double y = std::strtod(b->c_str(), &eb);
  if (a->empty() || b->empty() || *ea != '\0' || *eb != '\0') return false;
  return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x));
}

// Member names listed in /meta, by cube: {"Orders": {"Orders.count", ...}}.
struct MetaView {
  int status = 0;
  std::map<std::string, std::set<std::string>> members;  // measures + dimensions + segments
  std::map<std::string, std::set<std::string>> measures, dimensions, segments;
  bool HasCube(const std::string& c) const { return members.count(c) > 0; }
  bool Has(const std::string& member) const {
    std::string cube = member.substr(0, member.find('.'));
    auto it = members.find(cube);
    return it != members.end() && it->second.count(member) > 0;
  }
};

inline MetaView Meta(api::App& app, const std::string& token) {
  MetaView out;
  http::Response r = GetAs(app, "meta", token);
  out.status = r.status;
  json::value v = testing::Json(r);
  if (r.status != 200 || !v.is_object() || !v.as_object().contains("cubes")) {
    ADD_FAILURE() << "/meta answered " << r.status << ": " << r.body.substr(0, 2000);
    return out;
  }
  for (const auto& c : v.as_object().at("cubes").as_array()) {
    std::string name(c.at("name").as_string());
    auto& all = out.members[name];
    auto collect = [&](const char* key, std::map<std::string, std::set<std::string>>& into) {
      auto& set = into[name];
      const json::value* list = c.as_object().if_contains(key);
      if (list == nullptr || !list->is_array()) return;
      for (const auto& m : list->as_array()) {
        std::string n(m.at("name").as_string());
        set.insert(n);
        all.insert(n);
      }
    };
    collect("measures", out.measures);
    collect("dimensions", out.dimensions);
    collect("segments", out.segments);
  }
  return out;
}

// A temporary directory removed at the end of the test suite.
inline fs::path MakeTempDir(const std::string& prefix) {
  fs::path dir = fs::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  return dir;
}

inline driver::DataSourcePtr OpenSqlite(const std::string& path) {
  driver::DataSourceConfig c;
  c.type = "sqlite";
  c.database = path;
  c.pool_size = 2;
  auto source = driver::OpenDataSource(c);
  EXPECT_TRUE(source.ok()) << source.status();
  return source.ok() ? *source : nullptr;
}

inline model::CompiledModelPtr LoadModel(const std::string& yaml, std::string* errors = nullptr) {
  model::LoadResult loaded = model::LoadModelFiles({{"model.yml", yaml}});
  if (!loaded.model) {
    std::string all;
    for (const auto& e : loaded.errors) all += e.ToString() + "\n";
    if (errors) *errors = all;
  }
  return loaded.model;
}

// A direct SQLite connection for building data and computing ground truth.
class Sqlite {
 public:
  explicit Sqlite(const std::string& path, bool read_only = false) {
    int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~Sqlite() { sqlite3_close(db_); }
  Sqlite(const Sqlite&) = delete;
  Sqlite& operator=(const Sqlite&) = delete;

  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << "sqlite: " << (err ? err : "?") << "\n" << sql;
    }
    sqlite3_free(err);
  }

  using Row = std::vector<std::optional<std::string>>;
  // Runs `sql` with text parameters ?1, ?2...; every cell as text.
  std::vector<Row> Query(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    std::vector<Row> rows;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "sqlite: " << sqlite3_errmsg(db_) << "\n" << sql;
      return rows;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i]) {
        sqlite3_bind_text(st, static_cast<int>(i + 1), params[i]->data(), static_cast<int>(params[i]->size()),
                          SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(st, static_cast<int>(i + 1));
      }
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      Row row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const unsigned char* t = sqlite3_column_text(st, c);
          row.emplace_back(std::string(reinterpret_cast<const char*>(t),
                                       static_cast<size_t>(sqlite3_column_bytes(st, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << "sqlite: " << sqlite3_errmsg(db_) << "\n" << sql;
    sqlite3_finalize(st);
    return rows;
  }

  int64_t Count(const std::string& sql, const std::vector<std::optional<std::string>>& params = {}) {
    auto rows = Query(sql, params);
    if (rows.size() != 1 || rows[0].empty() || !rows[0][0]) return -1;
    return std::stoll(*rows[0][0]);
  }

  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// A SQL string literal ('...' with quotes doubled), for ground-truth SQL.
inline std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

// Collects every leaf filter ({member, operator, values}) in a JSON filter tree.
inline void CollectLeafFilters(const json::value& v, std::vector<json::object>& out) {
  if (v.is_array()) {
    for (const auto& e : v.as_array()) CollectLeafFilters(e, out);
    return;
  }
  if (!v.is_object()) return;
  const auto& o = v.as_object();
  if (o.contains("member") || o.contains("dimension")) out.push_back(o);
  for (const char* k : {"or", "and"}) {
    if (const json::value* c = o.if_contains(k)) CollectLeafFilters(*c, out);
  }
}

}  // namespace tessera::policy_test
