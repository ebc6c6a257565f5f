#include "web/site_bundle.h"

#include <openssl/evp.h>

#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "web/content_type.h"

namespace tessera::web {
namespace {

namespace fs = std::filesystem;

std::string ETagOf(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(body.data(), body.size(), digest, &size, EVP_sha256(), nullptr);
  // 12 bytes of SHA-256: a validator, not a security boundary.
  return absl::StrCat("\"", absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), 12)), "\"");
}

// Vite writes only content-hashed files to assets/ (name-HASH.ext, the hash
// of [A-Za-z0-9_-], so it cannot be told apart by its shape: "index-BOuCf1--.css");
// files meant to keep their names come from public/ and land at the root.
bool LooksContentHashed(const std::string& url_path) { return url_path.rfind("/assets/", 0) == 0; }

}  // namespace

absl::StatusOr<std::shared_ptr<const SiteBundle>> SiteBundle::Load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("the web app folder ", dir.string(), " does not exist"));
  }
  auto bundle = std::make_shared<SiteBundle>();
  bundle->folder_ = dir.string();
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot read ", dir.string(), ": ", ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return absl::UnavailableError(absl::StrCat("cannot read ", dir.string(), ": ", ec.message()));
    // symlink_status: a link is skipped, whatever it points at.
    if (!fs::is_regular_file(it->symlink_status(ec))) continue;
    if (bundle->files_.size() >= kMaxFiles) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the web app folder ", dir.string(), " holds more than ", kMaxFiles, " files"));
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return absl::UnavailableError(absl::StrCat("cannot read ", it->path().string()));
    }
    bundle->total_bytes_ += body.size();
    if (bundle->total_bytes_ > kMaxBytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the web app folder ", dir.string(), " holds more than ", kMaxBytes >> 20, " MB"));
    }
    std::string url_path = "/" + fs::relative(it->path(), dir, ec).generic_string();
    SiteFile file;
    file.content_type = std::string(ContentTypeFor(url_path));
    file.etag = ETagOf(body);
    file.immutable = LooksContentHashed(url_path);
    file.body = std::move(body);
    bundle->files_.emplace(std::move(url_path), std::move(file));
  }
  auto index = bundle->files_.find("/index.html");
  if (index == bundle->files_.end()) {
    return absl::NotFoundError(absl::StrCat("the web app folder ", dir.string(),
                                            " has no index.html (was the app built? see web/README.md)"));
  }
  bundle->index_ = &index->second;
  return std::shared_ptr<const SiteBundle>(std::move(bundle));
}

const SiteFile* SiteBundle::Find(std::string_view url_path) const {
  auto it = files_.find(url_path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace tessera::web
