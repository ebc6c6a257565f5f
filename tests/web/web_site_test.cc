#include "web/web_site.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace tessera::web {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string* HeaderOf(const http::Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

http::Request Get(const std::string& path, std::map<std::string, std::string> headers = {}) {
  http::Request req;
  req.method = "GET";
  req.path = path;
  req.headers = std::move(headers);
  return req;
}

class WebSiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("tessera-website-" + std::to_string(::getpid())));
    fs::create_directories(*dir_ / "assets");
    std::ofstream(*dir_ / "index.html") << "<!doctype html><div id=app></div>";
    std::ofstream(*dir_ / "assets" / "index-Zx81_kQa.js") << "export{}";
    std::ofstream(*dir_ / "robots.txt") << "User-agent: *";
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static WebSite Site(ClientConfig config = {}) {
    auto bundle = SiteBundle::Load(*dir_);
    EXPECT_TRUE(bundle.ok()) << bundle.status();
    return WebSite(*bundle, std::move(config));
  }
  static ClientConfig WithProvider(const std::string& authority) {
    ClientConfig c;
    c.oidc_authority = authority;
    c.oidc_client_id = "tessera-dashboard";
    c.oidc_scope = "openid profile email";
    c.oidc_resource = "https://tessera.local/api";
    return c;
  }
  inline static fs::path* dir_ = nullptr;
};

TEST_F(WebSiteTest, TheAppsRoutesGetItsIndexPage) {
  WebSite site = Site();
  for (const char* path : {"/", "/callback", "/explore", "/dashboard/3"}) {
    http::Response r = site.Answer(Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><div id=app></div>") << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    ASSERT_NE(HeaderOf(r, "Cache-Control"), nullptr);
    EXPECT_EQ(*HeaderOf(r, "Cache-Control"), "no-cache") << "a new build must reach browsers at once";
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy"), nullptr) << path;
    EXPECT_EQ(*HeaderOf(r, "Referrer-Policy"), "no-referrer") << "the callback URL carries the code";
  }
}

TEST_F(WebSiteTest, BuiltFilesByExactPathAndMissingFilesAre404) {
  WebSite site = Site();
  http::Response js = site.Answer(Get("/assets/index-Zx81_kQa.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "export{}");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(*HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(*HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(HeaderOf(js, "Content-Security-Policy"), nullptr);
  EXPECT_EQ(site.Answer(Get("/robots.txt")).body, "User-agent: *");
  // A wrong asset URL must fail visibly, not receive the HTML page.
  http::Response missing = site.Answer(Get("/assets/index-00000000.js"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "Not Found\n");
  // Paths never reach the file system.
  for (const char* path : {"/../../etc/passwd", "/assets/../../etc/hosts.txt", "/%2e%2e/index.html"}) {
    http::Response r = site.Answer(Get(path));
    EXPECT_TRUE(r.body.find("root:") == std::string::npos && r.body.find("localhost") == std::string::npos) << path;
  }
}

TEST_F(WebSiteTest, OnlyGetAndHead) {
  WebSite site = Site();
  http::Request post = Get("/");
  post.method = "POST";
  http::Response r = site.Answer(post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*HeaderOf(r, "Allow"), "GET, HEAD");
  http::Request head = Get("/");
  head.method = "HEAD";
  EXPECT_EQ(site.Answer(head).status, 200);  // the server drops a HEAD's body
}

TEST_F(WebSiteTest, ARevalidationWithTheSameETagGets304) {
  WebSite site = Site();
  http::Response first = site.Answer(Get("/assets/index-Zx81_kQa.js"));
  const std::string etag = *HeaderOf(first, "ETag");
  http::Response again = site.Answer(Get("/assets/index-Zx81_kQa.js", {{"if-none-match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(*HeaderOf(again, "ETag"), etag);
  EXPECT_EQ(site.Answer(Get("/assets/index-Zx81_kQa.js", {{"if-none-match", "\"other\""}})).status, 200);
}

TEST_F(WebSiteTest, AppConfigSaysWhereToSignIn) {
  http::Response r = Site(WithProvider("http://127.0.0.1:4455")).Answer(Get("/app-config.json"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  json::value v = json::parse(r.body);
  EXPECT_EQ(v.at("devMode"), false);
  EXPECT_EQ(v.at("apiUrl"), "/cubejs-api/v1");
  EXPECT_EQ(v.at("oidc").at("authority"), "http://127.0.0.1:4455");
  EXPECT_EQ(v.at("oidc").at("clientId"), "tessera-dashboard");
  EXPECT_EQ(v.at("oidc").at("scope"), "openid profile email");
  EXPECT_EQ(v.at("oidc").at("resource"), "https://tessera.local/api");

  ClientConfig dev;
  dev.dev_mode = true;
  json::value d = json::parse(Site(dev).Answer(Get("/app-config.json")).body);
  EXPECT_EQ(d.at("devMode"), true);
  EXPECT_TRUE(d.at("oidc").is_null());
}

TEST_F(WebSiteTest, ThePolicyLetsTheAppTalkToItsProviderOnly) {
  http::Response r = Site(WithProvider("https://id.example.com/tenant/x")).Answer(Get("/"));
  const std::string& csp = *HeaderOf(r, "Content-Security-Policy");
  EXPECT_NE(csp.find("connect-src 'self' https://id.example.com;"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  // An authority that is not an http(s) origin never widens the policy.
  for (const char* bad : {"javascript:alert(1)", "https://a.example; script-src *", "*"}) {
    const http::Response page = Site(WithProvider(bad)).Answer(Get("/"));
    const std::string p = *HeaderOf(page, "Content-Security-Policy");
    EXPECT_NE(p.find("connect-src 'self';"), std::string::npos) << bad << ": " << p;
    EXPECT_EQ(p.find("script-src *"), std::string::npos) << p;
  }
}

TEST(ClientConfigFrom, DefaultsToTheIssuerAndAudienceTheApiTrusts) {
  config::Settings s;
  s.token.issuer = "http://127.0.0.1:9000, https://other.example";
  s.token.audience = "https://tessera.local/api,urn:x";
  ClientConfig c = ClientConfigFrom(s);
  EXPECT_EQ(c.oidc_authority, "http://127.0.0.1:9000");
  EXPECT_EQ(c.oidc_resource, "https://tessera.local/api");
  EXPECT_EQ(c.oidc_client_id, "tessera-dashboard");
  EXPECT_EQ(c.oidc_scope, "openid profile email");
  s.web.oidc_authority = "https://login.example";
  s.web.oidc_resource = "https://api.example";
  c = ClientConfigFrom(s);
  EXPECT_EQ(c.oidc_authority, "https://login.example");
  EXPECT_EQ(c.oidc_resource, "https://api.example");
  s.dev_mode = true;
  EXPECT_TRUE(ClientConfigFrom(s).oidc_authority.empty());
}

}  // namespace
}  // namespace tessera::web
