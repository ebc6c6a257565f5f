#pragma once
// Fetches an identity provider's documents (OpenID discovery, JWK Sets) over
// HTTPS — or plain HTTP to a loopback address, for tests — with a connect
// timeout, a total timeout and a size cap, no redirects, and certificate
// checks on. The body and the Cache-Control max-age come back; everything
// else about HTTP stays here.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace tessera::identity {

struct FetchResult {
  std::string body;
  // Cache-Control max-age (seconds), nullopt when absent; 0 for no-cache / no-store.
  std::optional<std::chrono::seconds> max_age;
};

class KeySetFetcher {
 public:
  virtual ~KeySetFetcher() = default;
  // The body of a 200 answer; Unavailable for anything else (network, status,
  // timeout, size), with a message for the log.
  virtual absl::StatusOr<FetchResult> Get(const std::string& url) = 0;
};

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds total_timeout{5000};
  size_t max_bytes = 512 * 1024;
};

std::shared_ptr<KeySetFetcher> MakeCurlFetcher(FetchOptions options = {});

// Whether `url` may be fetched: https://, or http:// to 127.0.0.1, [::1] or
// localhost. InvalidArgument naming the problem otherwise.
absl::Status CheckFetchUrl(const std::string& url);

// "public, max-age=300" -> 300 s; "no-store" -> 0; absent -> nullopt.
std::optional<std::chrono::seconds> ParseMaxAge(std::string_view cache_control);

}  // namespace tessera::identity
