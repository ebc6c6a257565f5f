#pragma once
// One built web app (a Vite `dist` folder), read into memory when the server
// starts. Requests are answered from this map only: no request path ever
// reaches the file system, so `..`, encoded slashes or symlinks cannot make
// the server read a file outside the folder.
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::web {

struct SiteFile {
  std::string content_type;
  std::string body;
  std::string etag;  // a strong validator: "sha256 prefix", quoted
  // Under /assets/ (content-hashed by Vite): they never change, and a
  // browser may keep them for a year. Everything else is revalidated.
  bool immutable = false;
};

class SiteBundle {
 public:
  // Limits on what Load() reads, so a wrong folder (a home directory, say)
  // fails clearly instead of filling memory.
  static constexpr size_t kMaxFiles = 2000;
  static constexpr size_t kMaxBytes = 64u << 20;

  // Reads every regular file under `dir` (symlinks are skipped, never
  // followed). The folder must hold an index.html.
  static absl::StatusOr<std::shared_ptr<const SiteBundle>> Load(const std::filesystem::path& dir);

  // The file at a URL path ("/assets/app-1a2b.js"), or null.
  const SiteFile* Find(std::string_view url_path) const;
  const SiteFile& index() const { return *index_; }
  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }
  const std::string& folder() const { return folder_; }

 private:
  std::map<std::string, SiteFile, std::less<>> files_;
  const SiteFile* index_ = nullptr;
  size_t total_bytes_ = 0;
  std::string folder_;
};

}  // namespace tessera::web
