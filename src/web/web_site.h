#pragma once
// The browser app Tessera serves beside its API: the Playground in dev mode,
// the dashboard otherwise (as Cube serves its Playground only in dev mode).
// Answers every path that is not the API's: built files by exact path, the
// app's index.html for its client-side routes (/callback, /explore, ...),
// and /app-config.json, the settings the app reads when it starts.
#include <memory>
#include <string>

#include "http/http_types.h"
#include "web/client_config.h"
#include "web/site_bundle.h"

namespace tessera::web {

class WebSite {
 public:
  WebSite(std::shared_ptr<const SiteBundle> app, ClientConfig config);

  // GET or HEAD only (else 405); a matching If-None-Match gets 304.
  http::Response Answer(const http::Request& request) const;

  const SiteBundle& app() const { return *app_; }

 private:
  http::Response FileResponse(const http::Request& request, const SiteFile& file) const;

  std::shared_ptr<const SiteBundle> app_;
  std::string config_json_;
  std::string config_etag_;
  // Content-Security-Policy: scripts and styles from this origin only, and
  // network calls to this origin and the sign-in provider (its token
  // endpoint, for the code exchange and silent renewal).
  std::string security_policy_;
};

}  // namespace tessera::web
