#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include "identity/remote/key_set_fetcher.h"

namespace tessera::identity {
namespace {

struct Transfer {
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
  std::string cache_control;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "cache-control:";
  if (line.size() > kName.size() && absl::AsciiStrToLower(std::string(line.substr(0, kName.size()))) == kName) {
    // A later response (after a 100 Continue, say) replaces an earlier header.
    t->cache_control = std::string(absl::StripAsciiWhitespace(std::string(line.substr(kName.size()))));
  }
  return n;
}

class CurlFetcher final : public KeySetFetcher {
 public:
  explicit CurlFetcher(FetchOptions options) : options_(options) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  absl::StatusOr<FetchResult> Get(const std::string& url) override {
    if (absl::Status ok = CheckFetchUrl(url); !ok.ok()) return ok;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return absl::UnavailableError("cannot start an HTTP transfer");
    Transfer t;
    t.max_bytes = options_.max_bytes;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could lead off HTTPS
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // timeouts without SIGALRM (threads)
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "tessera");
    // Environment proxies must not reroute key fetches.
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      return absl::UnavailableError(absl::StrCat(url, ": response larger than ", options_.max_bytes, " bytes"));
    }
    if (rc != CURLE_OK) return absl::UnavailableError(absl::StrCat(url, ": ", curl_easy_strerror(rc)));
    if (status != 200) return absl::UnavailableError(absl::StrCat(url, ": HTTP status ", status));
    FetchResult out;
    out.body = std::move(t.body);
    out.max_age = ParseMaxAge(t.cache_control);
    return out;
  }

 private:
  FetchOptions options_;
};

}  // namespace

std::shared_ptr<KeySetFetcher> MakeCurlFetcher(FetchOptions options) {
  return std::make_shared<CurlFetcher>(options);
}

absl::Status CheckFetchUrl(const std::string& url) {
  // Parsed by hand, strictly: Boost.URL 1.81 reads the host of
  // "http://127.0.0.1.evil.example/" as "127.0.0.1", which would let a
  // remote http URL pass for a loopback one.
  auto bad = [&](const std::string& why) {
    return absl::InvalidArgumentError(absl::StrCat(why, ": ", url));
  };
  size_t colon = url.find("://");
  if (colon == std::string::npos) return bad("not an absolute URL");
  std::string scheme = absl::AsciiStrToLower(url.substr(0, colon));
  std::string_view rest(url);
  rest.remove_prefix(colon + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty()) return bad("no host in the URL");
  if (authority.find('@') != std::string_view::npos) return bad("credentials in a URL");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\') return bad("invalid character in the URL");
  }
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return bad("invalid host in the URL");
    std::string_view after = host.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad("invalid host in the URL");
    host = host.substr(0, close + 1);
  } else if (size_t port = host.find(':'); port != std::string_view::npos) {
    host = host.substr(0, port);
  }
  if (scheme == "https") return absl::OkStatus();
  std::string lower = absl::AsciiStrToLower(std::string(host));
  bool loopback = lower == "127.0.0.1" || lower == "localhost" || lower == "[::1]";
  if (scheme == "http" && loopback) return absl::OkStatus();
  return bad("key sets and discovery documents are fetched over https only (http only to a loopback address)");
}

std::optional<std::chrono::seconds> ParseMaxAge(std::string_view cache_control) {
  std::optional<std::chrono::seconds> out;
  std::string lower = absl::AsciiStrToLower(std::string(cache_control));
  size_t pos = 0;
  while (pos <= lower.size()) {
    size_t comma = lower.find(',', pos);
    std::string_view part(lower.data() + pos, (comma == std::string::npos ? lower.size() : comma) - pos);
    std::string token(absl::StripAsciiWhitespace(std::string(part)));
    if (token == "no-store" || token == "no-cache") return std::chrono::seconds(0);
    constexpr std::string_view kMaxAge = "max-age=";
    if (token.rfind(kMaxAge, 0) == 0) {
      std::string value = token.substr(kMaxAge.size());
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      int64_t seconds = 0;
      if (absl::SimpleAtoi(value, &seconds) && seconds >= 0) out = std::chrono::seconds(seconds);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace tessera::identity
