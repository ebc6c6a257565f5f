#pragma once
// Builds the tenant directory `tessera serve` uses from its settings: the
// query rewrite rules and the tenancy section of tessera.yaml, the base
// model, and the shared database (opened unless every tenant has its own).
// Every configuration error stops start-up here, with file and line.
#include <memory>

#include "absl/status/statusor.h"

#include "config/settings.h"
#include "model/compiled_model.h"
#include "tenancy/tenant_directory.h"

namespace tessera::api {

absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> OpenTenants(const config::Settings& settings,
                                                                      model::CompiledModelPtr base);

}  // namespace tessera::api
