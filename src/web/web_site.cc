#include "web/web_site.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace tessera::web {
namespace {

// "https://id.example.com/tenant/x" -> "https://id.example.com": CSP sources
// are origins; a value that does not look like one is left out, so that a
// misconfigured authority cannot widen the policy.
std::string OriginOf(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "";
  std::string_view scheme(url.data(), scheme_end);
  if (scheme != "https" && scheme != "http") return "";
  size_t host_end = url.find_first_of("/?#", scheme_end + 3);
  std::string origin = url.substr(0, host_end);
  for (char c : origin) {
    if (c == ' ' || c == ';' || c == ',' || c == '\'' || c == '"') return "";
  }
  return origin;
}

void AddCommonHeaders(http::Response& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // The sign-in callback's URL carries the authorization code: never send it
  // to anyone in a Referer.
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace

WebSite::WebSite(std::shared_ptr<const SiteBundle> app, ClientConfig config)
    : app_(std::move(app)), config_json_(ClientConfigJson(config)) {
  config_etag_ = absl::StrCat("\"config-", std::hash<std::string>{}(config_json_), "\"");
  std::string provider = OriginOf(config.oidc_authority);
  std::string extra = provider.empty() ? "" : " " + provider;
  security_policy_ = absl::StrCat(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      "font-src 'self'; connect-src 'self'", extra, "; frame-src 'self'", extra,
      "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
}

http::Response WebSite::Answer(const http::Request& request) const {
  http::Response r;
  if (request.method != "GET" && request.method != "HEAD") {
    r.status = 405;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Method Not Allowed\n";
    r.headers.emplace_back("Allow", "GET, HEAD");
    AddCommonHeaders(r);
    return r;
  }
  if (request.path == "/app-config.json") {
    SiteFile config{"application/json; charset=utf-8", config_json_, config_etag_, false};
    return FileResponse(request, config);
  }
  if (const SiteFile* file = app_->Find(request.path)) return FileResponse(request, *file);
  // A path whose last segment has no extension is one of the app's own
  // routes, which the app resolves itself; a missing file is a 404, so a
  // wrong asset URL fails visibly instead of receiving the HTML page.
  size_t slash = request.path.rfind('/');
  if (request.path.find('.', slash == std::string::npos ? 0 : slash) == std::string::npos) {
    return FileResponse(request, app_->index());
  }
  r.status = 404;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Not Found\n";
  AddCommonHeaders(r);
  return r;
}

http::Response WebSite::FileResponse(const http::Request& request, const SiteFile& file) const {
  http::Response r;
  r.headers.emplace_back("ETag", file.etag);
  r.headers.emplace_back("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  AddCommonHeaders(r);
  if (file.content_type.rfind("text/html", 0) == 0) {
    r.headers.emplace_back("Content-Security-Policy", security_policy_);
  }
  const std::string* tags = request.Header("if-none-match");
  if (tags != nullptr && (tags->find(file.etag) != std::string::npos || *tags == "*")) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = file.content_type;
  r.body = file.body;
  return r;
}

}  // namespace tessera::web
