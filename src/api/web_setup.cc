#include "api/web_setup.h"

#include <filesystem>
#include <ostream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace tessera::api {

absl::StatusOr<std::shared_ptr<const web::WebSite>> OpenWebSite(const config::Settings& settings,
                                                                std::ostream& console) {
  namespace fs = std::filesystem;
  if (settings.web.dir == "off") return std::shared_ptr<const web::WebSite>();
  const bool named = !settings.web.dir.empty();
  fs::path dir = named ? fs::path(settings.web.dir) : fs::path(TESSERA_DEFAULT_WEB_DIR);
  if (dir.is_relative() && !settings.base_dir.empty()) dir = fs::path(settings.base_dir) / dir;
  const char* app = settings.dev_mode ? "playground" : "dashboard";
  std::error_code ec;
  if (!named && !fs::is_directory(dir / app, ec)) {
    console << "No " << app << " to serve: " << (dir / app).string()
            << " has not been built (npm run build in web/, or TESSERA_WEB_DIR)\n";
    return std::shared_ptr<const web::WebSite>();
  }
  absl::StatusOr<std::shared_ptr<const web::SiteBundle>> bundle = web::SiteBundle::Load(dir / app);
  if (!bundle.ok()) {
    return absl::Status(bundle.status().code(), absl::StrCat("TESSERA_WEB_DIR: ", bundle.status().message()));
  }
  console << "Web app: the " << app << " from " << (dir / app).string() << " (" << (*bundle)->file_count()
          << " files)\n";
  return std::make_shared<const web::WebSite>(*std::move(bundle), web::ClientConfigFrom(settings));
}

}  // namespace tessera::api
