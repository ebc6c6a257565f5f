// The Playground's endpoints and the browser app beside the API, through the
// App as the server calls it.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/app.h"
#include "api/playground.h"
#include "demo/demo_data.h"
#include "identity/identity_stage.h"
#include "model/compiled_model.h"
#include "support/app_harness.h"

namespace tessera::api {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::Call;
using testing::Json;

std::string SourceDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return env ? env : TESSERA_SOURCE_DIR;
}

const std::string* HeaderOf(const http::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

driver::TableSchema Table(std::string schema, std::string name, std::vector<driver::ColumnSchema> columns) {
  return driver::TableSchema{std::move(schema), std::move(name), std::move(columns)};
}

// The endpoint's two steps: the request's table names, then the files.
absl::StatusOr<std::string> Generate(const std::vector<driver::TableSchema>& tables, std::string_view body) {
  absl::StatusOr<std::vector<std::string>> names = ParseTableChoice(body);
  if (!names.ok()) return names.status();
  return GenerateSchemaJson(tables, *names);
}

TEST(TablesSchemaJson, CubesShapeBySchemaAndTable) {
  std::vector<driver::TableSchema> tables = {
      Table("public", "orders", {{"id", "integer", true, {}}, {"status", "text", false, {}}}),
      Table("public", "users", {{"id", "integer", true, {}}}),
      Table("sales", "orders", {{"total", "numeric", false, {}}}),
  };
  json::value v = json::parse(TablesSchemaJson(tables));
  const json::value& s = v.at("tablesSchema");
  EXPECT_EQ(s.at("public").at("orders").as_array().size(), 2u);
  EXPECT_EQ(s.at("public").at("orders").at(1), (json::object{{"name", "status"}, {"type", "text"}}));
  EXPECT_EQ(s.at("public").at("users").at(0).at("name"), "id");
  EXPECT_EQ(s.at("sales").at("orders").at(0).at("type"), "numeric");
}

TEST(GenerateSchemaJson, OneYamlFilePerChosenTableWithJoinsAmongThem) {
  std::vector<driver::TableSchema> tables = {
      Table("public", "orders",
            {{"id", "integer", true, {}}, {"user_id", "integer", false, driver::ForeignKey{"users", "id"}}}),
      Table("public", "users", {{"id", "integer", true, {}}, {"city", "text", false, {}}}),
      Table("public", "products", {{"id", "integer", true, {}}}),
  };
  auto out = Generate(tables, R"({"tables": ["public.orders", "users"]})");
  ASSERT_TRUE(out.ok()) << out.status();
  json::array files = json::parse(*out).at("files").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].at("fileName"), "orders.yml");
  EXPECT_EQ(files[1].at("fileName"), "users.yml");
  std::string orders(files[0].at("content").as_string());
  EXPECT_NE(orders.find("cubes:"), std::string::npos) << orders;
  EXPECT_NE(orders.find("name: Orders"), std::string::npos) << orders;
  EXPECT_NE(orders.find("Users"), std::string::npos) << "the join to the other chosen table:\n" << orders;

  // Without users among the chosen, no join names a cube the model lacks.
  auto alone = Generate(tables, R"({"tables": ["orders"]})");
  ASSERT_TRUE(alone.ok());
  std::string text(json::parse(*alone).at("files").at(0).at("content").as_string());
  EXPECT_EQ(text.find("joins:"), std::string::npos) << text;
}

TEST(GenerateSchemaJson, BadRequestsSayWhatIsWrong) {
  std::vector<driver::TableSchema> tables = {Table("public", "orders", {{"id", "integer", true, {}}})};
  for (const char* body : {"", "[]", "{}", R"({"tables": []})", R"({"tables": "orders"})", "{\"tables\": [1]}"}) {
    auto out = Generate(tables, body);
    ASSERT_FALSE(out.ok()) << body;
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
  auto unknown = Generate(tables, R"({"tables": ["orders", "secrets"]})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "The database has no table named \"secrets\"");
}

class PlaygroundAppTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new fs::path(fs::temp_directory_path() / ("tessera-playground-" + std::to_string(::getpid())));
    fs::create_directories(*tmp_ / "site");
    std::ofstream(*tmp_ / "site" / "index.html") << "<!doctype html><title>Playground</title>";
    demo::DemoDataOptions data;
    data.orders = 300;
    data.users = 50;
    data.products = 20;
    ASSERT_TRUE(demo::CreateSqliteDemoDatabase((*tmp_ / "ecom.db").string(), data).ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*tmp_);
    delete tmp_;
  }
  // A dev-mode App (dev_mode: the Playground's endpoints) with the site.
  static std::unique_ptr<App> MakeApp(bool dev_mode) {
    model::LoadResult loaded = model::LoadModelDirectory(SourceDir() + "/demo/model");
    EXPECT_TRUE(loaded.model);
    driver::DataSourceConfig config;
    config.type = "sqlite";
    config.database = (*tmp_ / "ecom.db").string();
    auto source = driver::OpenDataSource(config);
    EXPECT_TRUE(source.ok()) << source.status();
    auto bundle = web::SiteBundle::Load(*tmp_ / "site");
    EXPECT_TRUE(bundle.ok()) << bundle.status();
    AppOptions options;
    options.worker_threads = 2;
    options.playground = dev_mode;
    web::ClientConfig client;
    client.dev_mode = dev_mode;
    options.site = std::make_shared<const web::WebSite>(*bundle, client);
    return std::make_unique<App>(options, loaded.model, *source, identity::MakeDevModeIdentity());
  }
  inline static fs::path* tmp_ = nullptr;
};

TEST_F(PlaygroundAppTest, TheSiteAnswersOutsideTheApiAndTheApiStillAnswers) {
  auto app = MakeApp(true);
  http::Response page = Call(*app, "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<!doctype html><title>Playground</title>");
  EXPECT_EQ(HeaderOf(page, "Access-Control-Allow-Origin"), nullptr) << "the app is not for other sites to read";
  EXPECT_EQ(Call(*app, "GET", "/build").body, page.body);
  EXPECT_EQ(Json(Call(*app, "GET", "/app-config.json")).at("devMode"), true);

  http::Response meta = Call(*app, "GET", "/cubejs-api/v1/meta");
  EXPECT_EQ(meta.status, 200) << meta.body;
  EXPECT_NE(HeaderOf(meta, "Access-Control-Allow-Origin"), nullptr);
  // Unknown API paths stay JSON 404s, not the app's page.
  for (const char* path : {"/cubejs-api/v1/nope", "/cubejs-api/v2/load", "/cubejs-api"}) {
    http::Response unknown = Call(*app, "GET", path);
    EXPECT_EQ(unknown.status, 404) << path;
    EXPECT_EQ(Json(unknown).at("error"), "Not Found") << path;
  }
  EXPECT_EQ(Call(*app, "GET", "/livez").body, R"({"health":"HEALTH"})");
}

TEST_F(PlaygroundAppTest, ListsTheDatabasesTablesAndDraftsCubes) {
  auto app = MakeApp(true);
  http::Response tables = Call(*app, "GET", "/playground/db-schema");
  ASSERT_EQ(tables.status, 200) << tables.body;
  json::value v = Json(tables);
  const json::object& main = v.at("tablesSchema").at("main").as_object();
  EXPECT_TRUE(main.contains("orders")) << tables.body;
  EXPECT_TRUE(main.contains("users")) << tables.body;
  bool has_status = false;
  for (const json::value& c : main.at("orders").as_array()) has_status |= c.at("name") == "status";
  EXPECT_TRUE(has_status) << tables.body;

  http::Response files = Call(*app, "POST", "/playground/generate-schema", {}, R"({"tables":["orders","users"]})");
  ASSERT_EQ(files.status, 200) << files.body;
  json::array list = Json(files).at("files").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("fileName"), "orders.yml");
  EXPECT_NE(std::string(list[0].at("content").as_string()).find("sql_table: orders"), std::string::npos)
      << list[0].at("content");

  http::Response bad = Call(*app, "POST", "/playground/generate-schema", {}, R"({"tables":["nope"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad).at("error"), "The database has no table named \"nope\"");
  EXPECT_EQ(Call(*app, "GET", "/playground/generate-schema").status, 400);
  EXPECT_EQ(Call(*app, "GET", "/playground/other").status, 404);
}

TEST_F(PlaygroundAppTest, OutsideDevModeThereIsNoPlayground) {
  auto app = MakeApp(false);
  for (const char* path : {"/playground/db-schema", "/playground/generate-schema"}) {
    http::Response r = Call(*app, "GET", path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(Json(r).at("error"), "Not Found") << "a JSON 404, not the dashboard's page: " << path;
  }
  EXPECT_EQ(Call(*app, "GET", "/").status, 200);
}

}  // namespace
}  // namespace tessera::api
