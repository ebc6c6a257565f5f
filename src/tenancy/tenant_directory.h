#pragma once
// Which tenant a request belongs to, and what that tenant's requests use: the
// compiled model (with its access policies and rewrite rules), the data
// source, and the cache namespace.
//
// Cost per tenant: every tenant without a model overlay shares one
// TenantModel (the base model is compiled once, whatever the number of
// tenants); a tenant costs an entry in a bounded LRU map and, while it is
// active, its open data source, which the DataSourcePool closes when idle.
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include <boost/json/value.hpp>

#include "driver/data_source.h"
#include "driver/data_source_pool.h"
#include "model/compiled_model.h"
#include "policy/access_policies.h"
#include "policy/query_rewrite.h"
#include "tenancy/tenancy_config.h"

namespace tessera::tenancy {

// A model with everything compiled from it; shared by every tenant that uses it.
struct TenantModel {
  model::CompiledModelPtr model;
  std::shared_ptr<const policy::CompiledPolicies> policies;  // null: the model has none
  std::shared_ptr<const policy::CompiledRewrite> rewrite;    // null: no rules
  // /meta for callers no policy restricts, rendered by the API on first use
  // (the rendering is the API's business; the cache lives with the model).
  mutable absl::once_flag meta_once;
  mutable std::string meta_json;
};

struct Tenant {
  std::string id;  // "" when tenancy is off (or for dev mode's shared tenant)
  std::shared_ptr<const TenantModel> model;
  // Prefix of every cache key of this tenant's results: the same SQL on two
  // tenants' databases must never share an entry.
  std::string cache_namespace;
};

using TenantPtr = std::shared_ptr<const Tenant>;

struct TenantDirectoryOptions {
  std::string roles_claim = "role";
  std::vector<policy::RewriteRule> rewrite_rules;
  std::optional<TenancyConfig> tenancy;
  // Connection settings per-tenant postgres sources inherit (host, port,
  // user, password, pool size, timeouts), and the shared source's.
  driver::DataSourceConfig shared_database;
  std::string config_dir;  // relative sqlite files and overlay directories are under it
  std::string model_dir;   // the base model's directory (overlays are loaded with it)
  // Per-tenant data sources: tests inject a clock or turn the sweeper off.
  driver::DataSourcePoolOptions pool;
};

class TenantDirectory {
 public:
  // Compiles the base model's policies and rewrite rules (errors name the
  // file and line). `shared_source` serves tenants without a data source of
  // their own; it may be null when every tenant has one.
  static absl::StatusOr<std::unique_ptr<TenantDirectory>> Create(TenantDirectoryOptions options,
                                                                 model::CompiledModelPtr base,
                                                                 driver::DataSourcePtr shared_source);

  ~TenantDirectory();

  // The tenant of a verified security context: 403 when the claim is
  // missing, malformed, not allowed, or its overlay does not compile (500).
  // Unauthenticated (dev mode) requests share the base model and the shared
  // database.
  absl::StatusOr<TenantPtr> Resolve(const boost::json::value& security_context, bool authenticated);

  // The tenant's data source, opened on first use.
  absl::StatusOr<driver::DataSourcePtr> SourceFor(const Tenant& tenant);

  const driver::DataSourcePtr& shared_source() const { return shared_source_; }
  const TenantModel& base() const { return *base_->model; }
  bool multi_tenant() const { return options_.tenancy.has_value(); }
  size_t cached_tenants() const;
  size_t open_sources() const { return pool_ ? pool_->open_count() : 0; }
  // Closes tenants' data sources idle longer than the configured time (the
  // pool's sweeper does this on its own; tests call it with their clock).
  size_t CloseIdleSources() { return pool_ ? pool_->CloseIdle() : 0; }

 private:
  TenantDirectory(TenantDirectoryOptions options, driver::DataSourcePtr shared_source);
  absl::StatusOr<std::shared_ptr<const TenantModel>> Compile(model::CompiledModelPtr model) const;
  absl::Status CheckId(const std::string& id) const;
  absl::StatusOr<TenantPtr> Build(const std::string& id) const;
  absl::StatusOr<driver::DataSourcePtr> OpenTenantSource(const std::string& id) const;

  TenantDirectoryOptions options_;
  driver::DataSourcePtr shared_source_;
  TenantPtr base_;  // the tenant of dev mode, and of everyone when tenancy is off
  std::unique_ptr<driver::DataSourcePool> pool_;
  struct Patterns;
  std::unique_ptr<Patterns> patterns_;

  // Bounded LRU of resolved tenants (most recent first).
  mutable absl::Mutex mu_;
  std::list<TenantPtr> lru_ ABSL_GUARDED_BY(mu_);
  std::unordered_map<std::string, std::list<TenantPtr>::iterator> by_id_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tessera::tenancy
