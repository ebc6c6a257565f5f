#include "config/setting_catalog.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

#include "base/status_macros.h"
#include "config/value_parsers.h"

namespace tessera::config {
namespace {

constexpr int64_t kNoMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMaxThreads = 4096;
constexpr int64_t kOneHourMs = 3600 * 1000;

template <typename T>
absl::Status SetInteger(std::string_view value, int64_t min, int64_t max, T& field) {
  int64_t parsed = 0;
  TESSERA_RETURN_IF_ERROR(ParseInteger(value, min, max, parsed));
  field = static_cast<T>(parsed);
  return absl::OkStatus();
}

absl::Status SetMilliseconds(std::string_view value, int64_t min, int64_t max,
                             std::chrono::milliseconds& field) {
  int64_t parsed = 0;
  TESSERA_RETURN_IF_ERROR(ParseInteger(value, min, max, parsed));
  field = std::chrono::milliseconds(parsed);
  return absl::OkStatus();
}

absl::Status SetDatabaseType(std::string_view value, Settings& s) {
  // Cube spells PostgreSQL "postgres"; matching it exactly keeps one .env
  // file valid for both servers.
  if (value != "sqlite" && value != "postgres") {
    return absl::InvalidArgumentError(absl::StrCat("unsupported database type ",
                                                   QuoteForMessage(value),
                                                   " (supported: sqlite, postgres)"));
  }
  s.database.type = std::string(value);
  return absl::OkStatus();
}

absl::Status SetText(std::string_view value, std::string& field) {
  field = std::string(value);
  return absl::OkStatus();
}

std::string Int(int64_t value) { return absl::StrCat(value); }

absl::Status SetNonEmpty(std::string_view value, std::string& field) {
  if (value.empty()) return absl::InvalidArgumentError("must not be empty");
  field = std::string(value);
  return absl::OkStatus();
}

const std::array<SettingSpec, 57> kCatalog = {{
    {"CUBEJS_DB_TYPE", "database.type", false, true,
     [](std::string_view v, Settings& s) { return SetDatabaseType(v, s); },
     [](const Settings& s) { return s.database.type; },
     "sqlite | postgres"},
    {"CUBEJS_DB_HOST", "database.host", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.database.host); },
     [](const Settings& s) { return s.database.host; },
     "PostgreSQL server host"},
    {"CUBEJS_DB_PORT", "database.port", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, 65535, s.database.port); },
     [](const Settings& s) { return Int(s.database.port); },
     "PostgreSQL server port"},
    {"CUBEJS_DB_NAME", "database.name", false, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.database.database); },
     [](const Settings& s) { return s.database.database; },
     "PostgreSQL database, or the SQLite file (relative to the working directory)"},
    {"CUBEJS_DB_USER", "database.user", false, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.database.user); },
     [](const Settings& s) { return s.database.user; },
     "PostgreSQL user"},
    // A secret is never shown, not even its default.
    {"CUBEJS_DB_PASS", "database.password", true, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.database.password); },
     [](const Settings& s) { return std::string(); },
     "PostgreSQL password; better set in .env or the environment"},
    {"CUBEJS_DB_MAX_POOL", "database.pool_size", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, 1000, s.database.pool_size); },
     [](const Settings& s) { return Int(s.database.pool_size); },
     "connections in the pool"},
    {"TESSERA_DB_CONNECT_TIMEOUT_MS", "database.connect_timeout_ms", false, true,
     [](std::string_view v, Settings& s) { return SetMilliseconds(v, 1, kOneHourMs, s.database.connect_timeout); },
     [](const Settings& s) { return Int(s.database.connect_timeout.count()); },
     "give up connecting after this long"},
    {"TESSERA_DB_STATEMENT_TIMEOUT_MS", "database.statement_timeout_ms", false, true,
     [](std::string_view v, Settings& s) { return SetMilliseconds(v, 0, kNoMax, s.database.statement_timeout); },
     [](const Settings& s) { return Int(s.database.statement_timeout.count()); },
     "cancel a query after this long (0: never)"},
    {"CUBEJS_DEV_MODE", "dev_mode", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.dev_mode); },
     [](const Settings& s) { return std::string(s.dev_mode ? "true" : "false"); },
     "true enables the playground and development conveniences"},
    {"CUBEJS_SCHEMA_PATH", "schema_path", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.schema_path); },
     [](const Settings& s) { return s.schema_path; },
     "folder of the data model files"},
    {"TESSERA_LISTEN_ADDRESS", "listen_address", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.listen_address); },
     [](const Settings& s) { return s.listen_address; },
     "address the API listens on"},
    // Port 0 asks the OS for a free port, which hermetic tests rely on.
    {"PORT", "port", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, 65535, s.port); },
     [](const Settings& s) { return Int(s.port); },
     "port the API listens on (0: any free port)"},
    {"CUBEJS_DB_QUERY_DEFAULT_LIMIT", "default_limit", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, kNoMax, s.default_limit); },
     [](const Settings& s) { return Int(s.default_limit); },
     "row limit of a query that sets none"},
    {"CUBEJS_DB_QUERY_LIMIT", "max_limit", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, kNoMax, s.max_limit); },
     [](const Settings& s) { return Int(s.max_limit); },
     "largest row limit a query may ask for"},
    {"TESSERA_CONTINUE_WAIT_MS", "continue_wait_ms", false, true,
     [](std::string_view v, Settings& s) { return SetMilliseconds(v, 1, kOneHourMs, s.continue_wait); },
     [](const Settings& s) { return Int(s.continue_wait.count()); },
     "answer \"Continue wait\" when a query runs longer"},
    {"TESSERA_MAX_BODY_BYTES", "max_body_bytes", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, kNoMax, s.max_body_bytes); },
     [](const Settings& s) { return Int(s.max_body_bytes); },
     "largest request body"},
    {"TESSERA_MAX_URL_BYTES", "max_url_bytes", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, kNoMax, s.max_url_bytes); },
     [](const Settings& s) { return Int(s.max_url_bytes); },
     "longest request target (GET /load?query=...)"},
    {"TESSERA_WORKER_THREADS", "worker_threads", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kMaxThreads, s.worker_threads); },
     [](const Settings& s) { return Int(s.worker_threads); },
     "threads running database calls (0: twice the cores)"},
    {"TESSERA_IO_THREADS", "io_threads", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kMaxThreads, s.io_threads); },
     [](const Settings& s) { return Int(s.io_threads); },
     "HTTP io threads (0: one per core)"},
    {"TESSERA_CACHE_MAX_ENTRIES", "cache_max_entries", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kNoMax, s.cache_max_entries); },
     [](const Settings& s) { return Int(s.cache_max_entries); },
     "cached query results kept (0: no cache)"},
    {"TESSERA_CACHE_REFRESH_SECONDS", "cache_refresh_seconds", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 1, kNoMax, s.cache_refresh_seconds); },
     [](const Settings& s) { return Int(s.cache_refresh_seconds); },
     "default refresh_key interval of a cube"},
    // A secret is never shown, not even its default.
    {"CUBEJS_API_SECRET", "api_secret", true, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.api_secret); },
     [](const Settings& s) { return std::string(); },
     "HMAC key (HS256/384/512, at least 32 bytes) that API tokens are signed with"},
    {"CUBEJS_JWT_KEY", "jwt.key", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwt_key); },
     [](const Settings& s) { return s.token.jwt_key; },
     "public key (PEM), JWK or JWK Set that verifies tokens; replaces CUBEJS_API_SECRET"},
    {"CUBEJS_JWK_URL", "jwt.jwk_url", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwk_url); },
     [](const Settings& s) { return s.token.jwk_url; },
     "an identity provider's JWK Set URL (https); its keys verify tokens"},
    {"CUBEJS_JWT_ALGS", "jwt.algorithms", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwt_algs); },
     [](const Settings& s) { return s.token.jwt_algs; },
     "comma list of accepted signature algorithms (default: those of the configured keys)"},
    {"CUBEJS_JWT_AUDIENCE", "jwt.audience", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.audience); },
     [](const Settings& s) { return s.token.audience; },
     "the token's aud must contain this (comma list: any of these)"},
    {"CUBEJS_JWT_ISSUER", "jwt.issuer", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.issuer); },
     [](const Settings& s) { return s.token.issuer; },
     "the token's iss must equal this (comma list: any of these)"},
    {"CUBEJS_JWT_SUBJECT", "jwt.subject", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.subject); },
     [](const Settings& s) { return s.token.subject; },
     "the token's sub must equal this"},
    {"CUBEJS_JWT_CLAIMS_NAMESPACE", "jwt.claims_namespace", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.claims_namespace); },
     [](const Settings& s) { return s.token.claims_namespace; },
     "the claims under this key are the security context (e.g. http://localhost:3000)"},
    {"TESSERA_JWT_LEEWAY_SECONDS", "jwt.leeway_seconds", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, 3600, s.token.leeway_seconds); },
     [](const Settings& s) { return Int(s.token.leeway_seconds); },
     "clock skew allowed around exp, nbf and iat"},
    {"TESSERA_JWT_REQUIRE_EXP", "jwt.require_exp", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.token.require_exp); },
     [](const Settings& s) { return std::string(s.token.require_exp ? "true" : "false"); },
     "refuse tokens without an exp claim"},
    {"TESSERA_JWT_MAX_BYTES", "jwt.max_bytes", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 64, 1 << 20, s.token.max_token_bytes); },
     [](const Settings& s) { return Int(s.token.max_token_bytes); },
     "longest token accepted (checked before decoding)"},
    {"TESSERA_TOKEN_CACHE_ENTRIES", "jwt.cache_entries", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kNoMax, s.token.cache_entries); },
     [](const Settings& s) { return Int(s.token.cache_entries); },
     "verified tokens remembered until their exp (0: verify every request)"},
    // A decryption key is as secret as the API secret.
    {"TESSERA_JWE_KEY", "jwe.key", true, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwe_key); },
     [](const Settings& s) { return std::string(); },
     "private key (PEM, JWK, JWK Set) or shared secret that decrypts encrypted tokens"},
    {"TESSERA_JWE_ALGS", "jwe.algorithms", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwe_algs); },
     [](const Settings& s) { return s.token.jwe_algs; },
     "comma list of accepted key-management algorithms (default: those fitting the key)"},
    {"TESSERA_JWE_ENCS", "jwe.encryptions", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.token.jwe_encs); },
     [](const Settings& s) { return s.token.jwe_encs; },
     "comma list of accepted content encryptions"},
    {"TESSERA_JWE_REQUIRED", "jwe.required", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.token.jwe_required); },
     [](const Settings& s) { return std::string(s.token.jwe_required ? "true" : "false"); },
     "refuse tokens that are not encrypted"},
    {"TESSERA_JWE_ALLOW_RSA1_5", "jwe.allow_rsa1_5", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.token.jwe_allow_rsa1_5); },
     [](const Settings& s) { return std::string(s.token.jwe_allow_rsa1_5 ? "true" : "false"); },
     "permit RSA1_5 key transport (legacy; padding-oracle prone)"},
    {"TESSERA_JWE_ALLOW_PBES2", "jwe.allow_pbes2", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.token.jwe_allow_pbes2); },
     [](const Settings& s) { return std::string(s.token.jwe_allow_pbes2 ? "true" : "false"); },
     "permit PBES2 password-based key wrapping"},
    {"TESSERA_JWE_ALLOW_COMPRESSION", "jwe.allow_compression", false, true,
     [](std::string_view v, Settings& s) { return ParseBool(v, s.token.jwe_allow_compression); },
     [](const Settings& s) { return std::string(s.token.jwe_allow_compression ? "true" : "false"); },
     "permit zip:DEF compressed payloads"},
    {"TESSERA_ROLES_CLAIM", "roles_claim", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.roles_claim); },
     [](const Settings& s) { return s.roles_claim; },
     "security-context claim (dotted path) holding the caller's role or roles"},
    {"CUBEJS_DEFAULT_API_SCOPES", "default_api_scopes", false, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.default_api_scopes); },
     [](const Settings& s) { return s.default_api_scopes; },
     "API scopes (meta, data, sql) of callers whose roles TESSERA_API_SCOPES does not list"},
    {"TESSERA_API_SCOPES", "api_scopes", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.role_api_scopes); },
     [](const Settings& s) { return s.role_api_scopes; },
     "API scopes per role: admin:meta,data,sql;viewer:meta"},
    {"TESSERA_AUDIT_LOG", "audit.file", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.audit_file); },
     [](const Settings& s) { return s.audit_file; },
     "the audit log file (rotated files beside it), or off for none"},
    {"TESSERA_AUDIT_ON_FAILURE", "audit.on_failure", false, true,
     [](std::string_view v, Settings& s) {
       if (v != "refuse" && v != "warn") return absl::InvalidArgumentError("must be refuse or warn");
       s.audit_refuse = v == "refuse";
       return absl::OkStatus();
     },
     [](const Settings& s) { return std::string(s.audit_refuse ? "refuse" : "warn"); },
     "when the audit log cannot be written: refuse data requests (503), or warn and answer"},
    {"TESSERA_AUDIT_ROTATE_BYTES", "audit.rotate_bytes", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kNoMax, s.audit_rotate_bytes); },
     [](const Settings& s) { return Int(s.audit_rotate_bytes); },
     "start a new audit file at this size (0: never)"},
    {"TESSERA_AUDIT_ROTATE_SECONDS", "audit.rotate_seconds", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, kNoMax, s.audit_rotate_seconds); },
     [](const Settings& s) { return Int(s.audit_rotate_seconds); },
     "start a new audit file after this many seconds (0: never)"},
    {"TESSERA_AUDIT_COMMIT_DELAY_US", "audit.commit_delay_us", false, true,
     [](std::string_view v, Settings& s) { return SetInteger(v, 0, 100000, s.audit_commit_delay_us); },
     [](const Settings& s) { return Int(s.audit_commit_delay_us); },
     "group commit: the longest, in microseconds, a request's audit record waits for others to share its sync, "
     "under load only (0: sync at once)"},
    {"TESSERA_AUDIT_SIGNING_KEY", "audit.signing_key_file", false, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.audit_signing_key_file); },
     [](const Settings& s) { return s.audit_signing_key_file; },
     "Ed25519 private key (PEM file) that signs each rotated audit file's final hash"},
    {"TESSERA_AUDIT_POSTGRES_URL", "audit.postgres_url", true, false,
     [](std::string_view v, Settings& s) { return SetText(v, s.audit_postgres_url); },
     [](const Settings&) { return std::string(); },
     "also store the audit log in this PostgreSQL database (libpq URL)"},
    {"TESSERA_AUDIT_POSTGRES_TABLE", "audit.postgres_table", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.audit_postgres_table); },
     [](const Settings& s) { return s.audit_postgres_table; },
     "the PostgreSQL audit table, optionally schema-qualified (audit.tessera_audit)"},
    {"TESSERA_WEB_DIR", "web.dir", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.web.dir); },
     [](const Settings& s) { return s.web.dir; },
     "the built browser apps (web/dist); off: serve none"},
    {"TESSERA_WEB_OIDC_AUTHORITY", "web.oidc_authority", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.web.oidc_authority); },
     [](const Settings& s) { return s.web.oidc_authority; },
     "the OpenID Connect provider the dashboard signs in at (default: the first CUBEJS_JWT_ISSUER)"},
    {"TESSERA_WEB_OIDC_CLIENT_ID", "web.oidc_client_id", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.web.oidc_client_id); },
     [](const Settings& s) { return s.web.oidc_client_id; },
     "the dashboard's client id at that provider (a public client using PKCE)"},
    {"TESSERA_WEB_OIDC_SCOPE", "web.oidc_scope", false, true,
     [](std::string_view v, Settings& s) { return SetNonEmpty(v, s.web.oidc_scope); },
     [](const Settings& s) { return s.web.oidc_scope; },
     "the scopes the dashboard asks for"},
    {"TESSERA_WEB_OIDC_RESOURCE", "web.oidc_resource", false, true,
     [](std::string_view v, Settings& s) { return SetText(v, s.web.oidc_resource); },
     [](const Settings& s) { return s.web.oidc_resource; },
     "the resource (RFC 8707) the dashboard's access token is for (default: the first CUBEJS_JWT_AUDIENCE)"},
}};

}  // namespace

std::span<const SettingSpec> SettingCatalog() { return kCatalog; }

const SettingSpec* FindSettingByConfigKey(std::string_view config_key) {
  for (const SettingSpec& spec : kCatalog) {
    if (spec.config_key == config_key) return &spec;
  }
  return nullptr;
}

bool IsStructuredSection(std::string_view config_key) {
  return config_key == "query_rewrite" || config_key == "tenancy" || config_key == "issuers";
}

bool IsConfigSection(std::string_view config_key) {
  return config_key == "database" || config_key == "jwt" || config_key == "jwe" || config_key == "audit" ||
         config_key == "web";
}

}  // namespace tessera::config
