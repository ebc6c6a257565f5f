#pragma once
// The `tenancy:` section of tessera.yaml: how a tenant is found in the
// verified claims and what it selects (Cube's contextToAppId,
// contextToOrchestratorId and driverFactory, written as configuration).
//
//   tenancy:
//     claim: tenant_id                    # dotted path in the security context
//     id_pattern: "^[a-z0-9_]{1,32}$"     # ids that do not match are refused
//     allowed: [acme, globex]             # optional: only these tenants
//     data_source:                        # optional: absent = the shared database
//       type: sqlite                      # or postgres
//       file: tenants/{tenant}.db         # sqlite: one file per tenant
//       database: "analytics_{tenant}"    # postgres: one database per tenant, and/or
//       schema: "tenant_{tenant}"         # postgres: one schema per tenant
//       schema_pattern: "^tenant_[a-z0-9_]+$"
//     model_overlay: model-tenants/{tenant}  # optional: extra cubes per tenant
//     max_tenants: 1024                   # resolved tenants kept (with any overlay model)
//     max_open_sources: 256               # open per-tenant data sources kept
//     idle_seconds: 300                   # an unused data source is closed after this
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace tessera::tenancy {

struct TenantSourceTemplate {
  std::string type;      // "sqlite" | "postgres"
  std::string file;      // sqlite: path template with {tenant}
  std::string database;  // postgres: database template ("" = the shared CUBEJS_DB_NAME)
  std::string schema;    // postgres: schema template ("" = the server's search_path)
  // Schema names must match this in full after {tenant} is substituted.
  std::string schema_pattern = "^[a-z_][a-z0-9_]{0,62}$";
};

struct TenancyConfig {
  std::string claim;
  // Tenant ids must match this in full. Independently of it, ids are always
  // limited to [A-Za-z0-9_.-], at most 128 characters, not starting with a
  // dot, because they become parts of file names and schema names.
  std::string id_pattern = "^[A-Za-z0-9_-]{1,64}$";
  std::vector<std::string> allowed;  // empty: any id matching the pattern
  std::optional<TenantSourceTemplate> source;
  std::string model_overlay;  // directory template with {tenant}; "" none
  size_t max_tenants = 1024;  // resolved tenants kept; an overlay model lives as long as its entry
  size_t max_open_sources = 256;
  std::chrono::seconds idle_timeout{300};
  std::string label;  // "tessera.yaml:12", for messages
};

// Reads the `tenancy:` section of a config file's YAML text; nullopt when the
// file has none. Problems name `label:line`.
absl::StatusOr<std::optional<TenancyConfig>> ReadTenancyConfig(std::string_view yaml_text, const std::string& label);

// `{tenant}` replaced by `id` in `text`.
std::string ExpandTenant(std::string_view text, std::string_view id);

}  // namespace tessera::tenancy
