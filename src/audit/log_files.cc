#include "audit/log_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <fstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tessera::audit {
namespace {

namespace fs = std::filesystem;

// "000012" -> its number as text without leading zeros, so numbers of any
// length compare by (length, text) without overflowing an integer.
std::string Canonical(std::string_view digits) {
  size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(digits.substr(first));
}

bool NumberLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListLogFiles(const std::string& active_path) {
  fs::path active(active_path);
  fs::path dir = active.parent_path();
  std::string prefix = active.filename().string() + ".";
  // (number, path) pairs of the rotated siblings.
  std::vector<std::pair<std::string, std::string>> rotated;
  std::error_code ec;
  fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec);
  if (!ec) {
    for (const fs::directory_entry& entry : it) {
      std::string name = entry.path().filename().string();
      if (name.size() < prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
      std::string_view digits = std::string_view(name).substr(prefix.size());
      if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
      std::error_code file_ec;
      if (!entry.is_regular_file(file_ec)) continue;
      rotated.emplace_back(Canonical(digits), (dir / name).string());
    }
  }
  std::sort(rotated.begin(), rotated.end(),
            [](const auto& a, const auto& b) { return NumberLess(a.first, b.first); });
  std::vector<std::string> files;
  for (auto& [number, path] : rotated) files.push_back(std::move(path));
  if (fs::exists(active, ec)) files.push_back(active_path);
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no audit log at ", active_path, " (neither the file nor rotated ", prefix, "NNNNNN files exist)"));
  }
  return files;
}

std::optional<int64_t> ClaimedSeq(std::string_view line) {
  constexpr std::string_view kHead = "{\"seq\":";
  if (line.substr(0, kHead.size()) != kHead) return std::nullopt;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t seq = 0;
  size_t i = kHead.size();
  const size_t start = i;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    int digit = line[i] - '0';
    if (seq > (kMax - digit) / 10) return std::nullopt;
    seq = seq * 10 + digit;
  }
  // Written as Seal writes it: digits without a leading zero, then a comma.
  if (i == start || i >= line.size() || line[i] != ',' || line[start] == '0') return std::nullopt;
  return seq;
}

absl::StatusOr<std::vector<LogFileHead>> ReadInChainOrder(const std::vector<std::string>& files) {
  std::vector<LogFileHead> heads;
  for (const std::string& path : files) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return absl::InvalidArgumentError(absl::StrCat(path, " is a folder, not a log file"));
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    LogFileHead head{path, std::nullopt, false};
    std::string first;
    // A file that starts with a NUL byte holds only the file sink's unused
    // space (file_sink.h): no record yet.
    if (!std::getline(in, first) || (!first.empty() && first[0] == '\0')) {
      head.empty = true;
    } else {
      head.first_seq = ClaimedSeq(first);
    }
    heads.push_back(std::move(head));
  }
  std::stable_sort(heads.begin(), heads.end(), [](const LogFileHead& a, const LogFileHead& b) {
    if (!a.first_seq || !b.first_seq) return a.first_seq.has_value() && !b.first_seq.has_value();
    return *a.first_seq < *b.first_seq;
  });
  return heads;
}

}  // namespace tessera::audit
