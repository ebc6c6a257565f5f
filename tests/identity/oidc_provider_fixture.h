#pragma once
// The gtest fixture that runs the real OpenID Connect provider of tests/oidc
// (npm's oidc-provider) for the length of a test suite: tokens from its real
// login flow (AccessToken), its admin endpoints (Admin), the (alg, kid) of a
// token's header (Header), verification with a JwksCache's keys (Verify).
// Every test suite that uses it (or a class derived from it) starts a provider
// of its own in SetUpTestSuite and stops it in TearDownTestSuite.
//
// Included by several *_test.cc files of one binary (identity_test): every
// function here is inline and the static members are inline variables, so
// the header is ODR-safe.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "absl/status/statusor.h"
#include "identity/jose/algorithms.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jws.h"
#include "identity/jose/key_set.h"
#include "identity/remote/jwks_cache.h"
#include "identity/remote/key_set_fetcher.h"
#include "identity/remote/oidc_discovery.h"
#include "support/child_process.h"

namespace tessera::identity {

inline std::string OidcDir() {
  const char* env = std::getenv("TESSERA_SOURCE_DIR");
  return std::string(env ? env : TESSERA_SOURCE_DIR) + "/tests/oidc";
}

// Runs a command to completion and returns its stdout (stderr is discarded).
inline std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class OidcProviderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                      ("tessera-oidc-" + std::to_string(::getpid())));
    // The provider starts in about 2 s here (most of it making an RSA key),
    // but one CI run on a machine slowed to half speed saw it print nothing
    // for a minute. A second start, with its own state, tells a slow machine
    // from a provider that cannot start; both logs are kept for the report.
    std::string report;
    for (int attempt = 1; attempt <= 2 && (issuer_ == nullptr || issuer_->empty()); ++attempt) {
      report += StartProvider(attempt);
    }
    ASSERT_FALSE(issuer_->empty()) << "the provider did not start, twice:\n" << report;
    if (!report.empty()) std::cerr << "the provider started on its second try; the first:\n" << report;
  }
  // One start of the provider, with a fresh state folder. Returns "" when it
  // printed its ISSUER and ADMIN_TOKEN lines, else what it said and did.
  static std::string StartProvider(int attempt) {
    delete state_;
    state_ = new std::filesystem::path(*root_ / ("try-" + std::to_string(attempt)));
    const std::filesystem::path& state = *state_;
    std::filesystem::create_directories(state);
    // stderr goes to a file: the fixture stops reading stdout after the two
    // lines, and the provider's log must neither fill a pipe nor be lost
    // when it does not start.
    testing::ProgramLaunch launch;
    launch.program = "/usr/bin/node";
    launch.args = {OidcDir() + "/provider.mjs", "--port",         "0",  "--state-dir",
                   state.string(),              "--jwks-max-age", "600", "--trace-startup"};
    launch.stderr_file = state / "provider.log";
    testing::Child child = testing::SpawnProgram(launch);
    if (child.pid <= 0) return "cannot start node\n";
    pid_ = child.pid;
    out_fd_ = child.out_fd;
    // Two lines: ISSUER=... and ADMIN_TOKEN=...
    std::string text;
    auto begun = std::chrono::steady_clock::now();
    auto deadline = begun + std::chrono::seconds(90);
    bool ended = false;
    while (text.find("ADMIN_TOKEN=") == std::string::npos || text.back() != '\n') {
      if (std::chrono::steady_clock::now() > deadline) break;
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) continue;
      char buf[512];
      ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) {
        ended = true;
        break;
      }
      text.append(buf, static_cast<size_t>(n));
    }
    auto value = [&](const std::string& name) {
      size_t at = text.find(name + "=");
      if (at == std::string::npos) return std::string();
      size_t end = text.find('\n', at);
      return text.substr(at + name.size() + 1, end - at - name.size() - 1);
    };
    delete issuer_;
    delete admin_;
    issuer_ = new std::string(value("ISSUER"));
    admin_ = new std::string(value("ADMIN_TOKEN"));
    if (!issuer_->empty()) return "";
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begun);
    // SIGKILL: a provider stuck in synchronous code never runs its SIGTERM handler.
    StopProvider(SIGKILL);
    return "try " + std::to_string(attempt) + ": " + (ended ? "stdout closed" : "nothing") + " after " +
           std::to_string(waited.count()) + " ms; stdout: " + text + "\nits log:\n" +
           ReadFile(state / "provider.log") + "\n";
  }
  static void StopProvider(int signal = SIGTERM) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    out_fd_ = -1;
  }
  static void TearDownTestSuite() {
    StopProvider();
    std::error_code ec;
    if (root_) std::filesystem::remove_all(*root_, ec);
    delete root_;
    root_ = nullptr;
    delete state_;
    delete issuer_;
    delete admin_;
    state_ = nullptr;
    issuer_ = nullptr;
    admin_ = nullptr;
  }

  // An access token from the real login flow.
  static std::string AccessToken(const std::string& email, const std::string& password, const std::string& alg) {
    std::string out = RunCommand("node " + Quote(OidcDir() + "/get-token.mjs") + " --issuer " + Quote(*issuer_) +
                                 " --email " + Quote(email) + " --password " + Quote(password) + " --alg " + alg);
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(out, ec);
    if (ec || !v.is_object() || !v.as_object().contains("access_token")) {
      ADD_FAILURE() << "no token from get-token.mjs: " << out;
      return "";
    }
    return std::string(v.at("access_token").as_string());
  }

  static boost::json::value Admin(const std::string& method, const std::string& path) {
    std::string out = RunCommand("curl -s -X " + method + " -H " + Quote("Authorization: Bearer " + *admin_) + " " +
                                 Quote(*issuer_ + path));
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(out, ec);
    EXPECT_FALSE(ec) << path << ": " << out;
    return v;
  }

  // The (alg, kid) of a compact token's header.
  static std::pair<std::string, std::string> Header(const std::string& token) {
    auto header = jose::DecodeBase64Url(token.substr(0, token.find('.')));
    if (!header.ok()) return {};
    boost::json::value h = boost::json::parse(*header);
    return {std::string(h.at("alg").as_string()), std::string(h.at("kid").as_string())};
  }

  // Verifies `token` with the cache's keys for its kid; returns its claims.
  static absl::StatusOr<boost::json::object> Verify(JwksCache& cache, const std::string& token) {
    auto [alg_name, kid] = Header(token);
    std::optional<jose::Algorithm> alg = jose::AlgorithmFromName(alg_name);
    if (!alg) return absl::InvalidArgumentError("unknown alg " + alg_name);
    BoundKeysPtr keys = cache.KeysFor(kid);
    for (const jose::BoundKey* k : jose::CandidateKeys(*keys, *alg, kid)) {
      absl::StatusOr<jose::CompactJws> jws = jose::VerifyCompactJws(token, k->alg, k->key);
      if (jws.ok()) return boost::json::parse(jws->payload).as_object();
    }
    return absl::PermissionDeniedError("no key verifies it");
  }

  static std::unique_ptr<JwksCache> Cache(const ProviderMetadata& meta) {
    JwksCacheOptions o;
    o.url = meta.jwks_uri;
    o.allowed = {jose::Algorithm::kRS256, jose::Algorithm::kES256, jose::Algorithm::kEdDSA};
    o.background_refresh = false;
    o.label = meta.issuer;
    return std::make_unique<JwksCache>(o, MakeCurlFetcher());
  }

  static int JwksFetches() {
    return static_cast<int>(Admin("GET", "/__admin/stats").at("jwksFetches").to_number<int64_t>());
  }

  inline static std::filesystem::path* root_ = nullptr;   // every try's state
  inline static std::filesystem::path* state_ = nullptr;  // the running provider's
  inline static std::string* issuer_ = nullptr;
  inline static std::string* admin_ = nullptr;
  inline static pid_t pid_ = -1;
  inline static int out_fd_ = -1;
};

}  // namespace tessera::identity
