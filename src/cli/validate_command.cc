// `tessera validate`: compile the model and report every problem at once.
#include <filesystem>
#include <ostream>
#include <system_error>

#include "cli/commands.h"
#include "absl/strings/str_cat.h"
#include "identity/issuer_config.h"
#include "model/compiled_model.h"
#include "policy/access_policies.h"
#include "policy/query_rewrite.h"
#include "tenancy/tenancy_config.h"

namespace tessera::cli {

int RunValidate(const std::string& model_dir, std::ostream& out, std::ostream& err, const ValidateConfig* config) {
  std::error_code ec;
  if (!std::filesystem::is_directory(model_dir, ec)) {
    err << "error: model folder " << model_dir << " does not exist\n";
    return 1;
  }
  model::LoadResult result = model::LoadModelDirectory(model_dir);
  if (!result.errors.empty()) {
    for (const model::ModelError& e : result.errors) err << e.ToString() << "\n";
    err << "Model is invalid: " << result.errors.size()
        << (result.errors.size() == 1 ? " error" : " errors") << " in " << model_dir << "\n";
    return 1;
  }
  // Access policies are checked as the server will check them at start-up.
  absl::StatusOr<std::shared_ptr<const policy::CompiledPolicies>> policies =
      policy::CompiledPolicies::Compile(*result.model, config ? config->roles_claim : "role");
  if (!policies.ok()) {
    err << policies.status().message() << "\n"
        << "Model is invalid: its access policies have errors in " << model_dir << "\n";
    return 1;
  }
  size_t measures = 0;
  size_t dimensions = 0;
  size_t segments = 0;
  for (const model::Cube& cube : result.model->cubes()) {
    measures += cube.measures.size();
    dimensions += cube.dimensions.size();
    segments += cube.segments.size();
  }
  out << "Model is valid: " << result.model->cubes().size() << " cubes, " << measures
      << " measures, " << dimensions << " dimensions, " << segments << " segments\n";
  if (config == nullptr) return 0;
  absl::StatusOr<std::vector<policy::RewriteRule>> rules = policy::ReadRewriteRules(config->text, config->label);
  absl::Status status = rules.status();
  if (rules.ok() && !rules->empty()) {
    status = policy::CompiledRewrite::Compile(*rules, *result.model, config->roles_claim).status();
  }
  absl::StatusOr<std::optional<tenancy::TenancyConfig>> tenancy =
      tenancy::ReadTenancyConfig(config->text, config->label);
  if (status.ok()) status = tenancy.status();
  absl::StatusOr<std::vector<identity::IssuerConfig>> issuers =
      identity::ReadIssuerConfigs(config->text, config->label);
  if (status.ok()) status = issuers.status();
  if (status.ok() && !issuers->empty() && !*tenancy) {
    for (const identity::IssuerConfig& issuer : *issuers) {
      if (!issuer.tenants.empty()) {
        status = absl::InvalidArgumentError(absl::StrCat(
            issuer.label, ": issuers: 'tenants' needs a 'tenancy' section to say which tenant a token is for"));
        break;
      }
    }
  }
  if (!status.ok()) {
    err << status.message() << "\n"
        << "Configuration is invalid: " << config->label << "\n";
    return 1;
  }
  if (!rules->empty()) out << "Query rewrite rules are valid: " << rules->size() << "\n";
  if (*tenancy) out << "Tenancy is valid: tenants from claim '" << (*tenancy)->claim << "'\n";
  if (!issuers->empty()) out << "Issuers are valid: " << issuers->size() << "\n";
  return 0;
}

}  // namespace tessera::cli
