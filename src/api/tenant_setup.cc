#include "api/tenant_setup.h"

#include "absl/strings/str_cat.h"

#include "base/status_macros.h"
#include "policy/query_rewrite.h"
#include "tenancy/tenancy_config.h"

namespace tessera::api {

absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> OpenTenants(const config::Settings& settings,
                                                                      model::CompiledModelPtr base) {
  tenancy::TenantDirectoryOptions options;
  options.roles_claim = settings.roles_claim;
  options.shared_database = settings.database;
  options.config_dir = settings.base_dir;
  options.model_dir = settings.schema_path;
  TESSERA_ASSIGN_OR_RETURN(options.rewrite_rules,
                           policy::ReadRewriteRules(settings.config_text, settings.config_label));
  TESSERA_ASSIGN_OR_RETURN(options.tenancy, tenancy::ReadTenancyConfig(settings.config_text, settings.config_label));
  // Rules are checked against the model before any database is opened, so a
  // mistake in them is the first thing reported.
  if (!options.rewrite_rules.empty()) {
    absl::Status rules = policy::CompiledRewrite::Compile(options.rewrite_rules, *base, options.roles_claim).status();
    if (!rules.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("Access configuration has errors:\n  ", std::string(rules.message())));
    }
  }
  driver::DataSourcePtr shared;
  // Tenants with databases of their own need no shared one: CUBEJS_DB_* then
  // only supplies the connection settings they inherit.
  if (!options.tenancy || !options.tenancy->source) {
    TESSERA_ASSIGN_OR_RETURN(shared, driver::OpenDataSource(settings.database));
  }
  absl::StatusOr<std::unique_ptr<tenancy::TenantDirectory>> directory =
      tenancy::TenantDirectory::Create(std::move(options), std::move(base), std::move(shared));
  if (!directory.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Access configuration has errors:\n  ", std::string(directory.status().message())));
  }
  return std::shared_ptr<tenancy::TenantDirectory>(*std::move(directory));
}

}  // namespace tessera::api
