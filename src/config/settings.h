#pragma once
// Everything `tessera serve` can be told, from (in increasing precedence):
// built-in defaults, Tessera's config file (tessera.yaml), a `.env` file in
// the working directory, and the process environment. Names follow Cube's
// environment variables where Cube has one; docs/configuration.md lists all.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

#include "driver/data_source.h"
#include "identity/token_settings.h"

namespace tessera::config {

struct Settings {
  driver::DataSourceConfig database;  // CUBEJS_DB_TYPE, _HOST, _PORT, _NAME, _USER, _PASS
  bool dev_mode = false;              // CUBEJS_DEV_MODE
  std::string schema_path = "model";  // CUBEJS_SCHEMA_PATH
  std::string listen_address = "127.0.0.1";  // TESSERA_LISTEN_ADDRESS
  uint16_t port = 4000;                      // PORT
  int64_t default_limit = 10000;             // CUBEJS_DB_QUERY_DEFAULT_LIMIT
  int64_t max_limit = 50000;                 // CUBEJS_DB_QUERY_LIMIT
  std::chrono::milliseconds continue_wait{5000};  // TESSERA_CONTINUE_WAIT_MS
  size_t max_body_bytes = 1 << 20;                // TESSERA_MAX_BODY_BYTES
  size_t max_url_bytes = 64 * 1024;               // TESSERA_MAX_URL_BYTES
  int worker_threads = 0;                         // TESSERA_WORKER_THREADS (0: 2x cores)
  int io_threads = 0;                             // TESSERA_IO_THREADS (0: cores)
  size_t cache_max_entries = 10000;               // TESSERA_CACHE_MAX_ENTRIES
  int64_t cache_refresh_seconds = 10;             // TESSERA_CACHE_REFRESH_SECONDS (refresh_key default)
  identity::TokenSettings token;
  std::string roles_claim = "role";               // TESSERA_ROLES_CLAIM
  std::string default_api_scopes = "meta,data,sql";  // CUBEJS_DEFAULT_API_SCOPES
  std::string role_api_scopes;                    // TESSERA_API_SCOPES                  // CUBEJS_API_SECRET, CUBEJS_JWT_*, TESSERA_JWT_*, TESSERA_JWE_*
  // The audit log (docs/audit.md).
  std::string audit_file = "audit/audit.log";     // TESSERA_AUDIT_LOG ("off": none)
  bool audit_refuse = true;                       // TESSERA_AUDIT_ON_FAILURE refuse | warn
  int64_t audit_rotate_bytes = 64 << 20;          // TESSERA_AUDIT_ROTATE_BYTES
  int64_t audit_rotate_seconds = 0;               // TESSERA_AUDIT_ROTATE_SECONDS
  int64_t audit_commit_delay_us = 1000;           // TESSERA_AUDIT_COMMIT_DELAY_US
  std::string audit_signing_key_file;             // TESSERA_AUDIT_SIGNING_KEY
  std::string audit_postgres_url;                 // TESSERA_AUDIT_POSTGRES_URL (secret)
  std::string audit_postgres_table = "tessera_audit";  // TESSERA_AUDIT_POSTGRES_TABLE
  // The browser app served beside the API (web/README.md): the Playground in
  // dev mode, the dashboard otherwise, and how the dashboard signs in.
  struct Web {
    std::string dir;  // TESSERA_WEB_DIR: the built apps (web/dist); "off": none
    std::string oidc_authority;                        // TESSERA_WEB_OIDC_AUTHORITY
    std::string oidc_client_id = "tessera-dashboard";  // TESSERA_WEB_OIDC_CLIENT_ID
    std::string oidc_scope = "openid profile email";   // TESSERA_WEB_OIDC_SCOPE
    std::string oidc_resource;                         // TESSERA_WEB_OIDC_RESOURCE
  } web;
  std::string config_file;                        // TESSERA_CONFIG (default ./tessera.yaml if present)
  // The config file's text and name, for the structured sections
  // (`query_rewrite:`, `tenancy:`) that their stages read themselves.
  std::string config_text;
  std::string config_label = "tessera.yaml";
  std::string base_dir;  // relative paths (SQLite files, tenant folders) are under it
};

// The variables found, in precedence order, from `environ` and `.env`.
using Environment = std::map<std::string, std::string>;

// Parses a `.env` file's text: KEY=VALUE lines, `#` comments, optional
// `export `, single or double quotes. Errors name the line.
absl::StatusOr<Environment> ParseDotEnv(std::string_view text);

// Builds Settings from a config file's YAML text (may be empty) and the
// merged environment. Invalid values are errors naming the variable.
absl::StatusOr<Settings> ResolveSettings(std::string_view config_yaml, const Environment& env);

// Reads ./.env (if present), the process environment and the config file,
// and resolves them. `working_dir` is where .env and tessera.yaml are looked up.
absl::StatusOr<Settings> LoadSettings(const std::string& working_dir);

}  // namespace tessera::config
