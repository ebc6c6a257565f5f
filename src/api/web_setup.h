#pragma once
// Chooses and loads the browser app `tessera serve` answers non-API paths
// with: the Playground in dev mode, the dashboard otherwise, from the built
// apps folder (TESSERA_WEB_DIR, by default the source tree's web/dist).
#include <iosfwd>
#include <memory>

#include "absl/status/statusor.h"
#include "config/settings.h"
#include "web/web_site.h"

namespace tessera::api {

// Null (and OK) when TESSERA_WEB_DIR is "off", or when it is unset and the
// default folder has not been built (the console says so). A folder that was
// named explicitly and cannot be loaded is an error: the operator asked for it.
absl::StatusOr<std::shared_ptr<const web::WebSite>> OpenWebSite(const config::Settings& settings,
                                                                std::ostream& console);

}  // namespace tessera::api
