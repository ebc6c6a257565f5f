#include "tenancy/tenant_directory.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "base/log_safe.h"
#include "base/status_macros.h"
#include "base/user_error.h"
#include "policy/context_path.h"

namespace tessera::tenancy {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// Ids become parts of file and schema names, so whatever the configured
// pattern says, they never hold a path separator, a quote, a space or a
// leading dot.
bool SafeId(const std::string& id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

std::string Under(const std::string& dir, const std::string& path) {
  fs::path p(path);
  if (p.is_relative() && !dir.empty()) p = fs::path(dir) / p;
  return p.lexically_normal().string();
}

}  // namespace

struct TenantDirectory::Patterns {
  std::regex id;
  std::regex schema;
};

TenantDirectory::TenantDirectory(TenantDirectoryOptions options, driver::DataSourcePtr shared_source)
    : options_(std::move(options)), shared_source_(std::move(shared_source)) {}

TenantDirectory::~TenantDirectory() = default;

absl::StatusOr<std::unique_ptr<TenantDirectory>> TenantDirectory::Create(TenantDirectoryOptions options,
                                                                         model::CompiledModelPtr base,
                                                                         driver::DataSourcePtr shared_source) {
  std::unique_ptr<TenantDirectory> dir(new TenantDirectory(std::move(options), std::move(shared_source)));
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<const TenantModel> model, dir->Compile(std::move(base)));
  auto tenant = std::make_shared<Tenant>();
  tenant->model = std::move(model);
  dir->base_ = std::move(tenant);
  if (const std::optional<TenancyConfig>& t = dir->options_.tenancy) {
    dir->patterns_ = std::make_unique<Patterns>();
    try {
      dir->patterns_->id = std::regex(t->id_pattern, std::regex::ECMAScript);
      dir->patterns_->schema =
          std::regex(t->source ? t->source->schema_pattern : std::string(".*"), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return absl::InvalidArgumentError(absl::StrCat(t->label, ": tenancy: invalid pattern: ", e.what()));
    }
    if (t->source) {
      driver::DataSourcePoolOptions pool = dir->options_.pool;
      pool.max_open = t->max_open_sources;
      pool.idle_timeout = t->idle_timeout;
      dir->pool_ = std::make_unique<driver::DataSourcePool>(std::move(pool));
    } else if (dir->shared_source_ == nullptr) {
      return absl::InvalidArgumentError("tenancy: without a per-tenant data_source, tenants share the database, "
                                        "which must be configured (CUBEJS_DB_*)");
    }
  } else if (dir->shared_source_ == nullptr) {
    return absl::InvalidArgumentError("no data source is configured");
  }
  return dir;
}

absl::StatusOr<std::shared_ptr<const TenantModel>> TenantDirectory::Compile(model::CompiledModelPtr model) const {
  auto out = std::make_shared<TenantModel>();
  TESSERA_ASSIGN_OR_RETURN(std::shared_ptr<const policy::CompiledPolicies> policies,
                           policy::CompiledPolicies::Compile(*model, options_.roles_claim));
  if (!policies->empty()) out->policies = std::move(policies);
  if (!options_.rewrite_rules.empty()) {
    TESSERA_ASSIGN_OR_RETURN(out->rewrite,
                             policy::CompiledRewrite::Compile(options_.rewrite_rules, *model, options_.roles_claim));
  }
  out->model = std::move(model);
  return std::shared_ptr<const TenantModel>(std::move(out));
}

size_t TenantDirectory::cached_tenants() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

absl::Status TenantDirectory::CheckId(const std::string& id) const {
  const TenancyConfig& t = *options_.tenancy;
  bool allowed = SafeId(id) && std::regex_match(id, patterns_->id) &&
                 (t.allowed.empty() || std::find(t.allowed.begin(), t.allowed.end(), id) != t.allowed.end());
  if (!allowed) {
    // The id came from a verified token, but it is still not echoed: the log
    // has it for whoever runs the server.
    spdlog::warn("tenancy: refused tenant id '{}' (claim '{}')", LogSafe(id), t.claim);
    return absl::PermissionDeniedError("The token's tenant is not allowed");
  }
  return absl::OkStatus();
}

absl::StatusOr<TenantPtr> TenantDirectory::Resolve(const json::value& context, bool authenticated) {
  if (!options_.tenancy) return base_;
  if (!authenticated) {
    // Dev mode has no claims: it sees the shared database through the base
    // model, or nothing when every tenant has a database of its own.
    if (shared_source_ == nullptr) {
      return UserError("Development mode cannot choose a tenant: every tenant has its own data source");
    }
    return base_;
  }
  const TenancyConfig& t = *options_.tenancy;
  const json::value* claim = policy::FindContextValue(context, t.claim);
  std::string id;
  if (claim != nullptr && claim->is_string()) {
    id = std::string(claim->get_string());
  } else if (claim != nullptr && (claim->is_int64() || claim->is_uint64())) {
    id = json::serialize(*claim);
  } else {
    return absl::PermissionDeniedError(absl::StrCat("Security context is missing the tenant ('", t.claim, "')"));
  }
  {
    absl::MutexLock lock(&mu_);
    if (auto it = by_id_.find(id); it != by_id_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return *it->second;
    }
  }
  TESSERA_RETURN_IF_ERROR(CheckId(id));
  // Built outside the lock: compiling an overlay takes milliseconds, and
  // other tenants must not wait for it. Two first requests of one tenant may
  // both build; the first to finish is kept.
  TESSERA_ASSIGN_OR_RETURN(TenantPtr built, Build(id));
  absl::MutexLock lock(&mu_);
  if (auto it = by_id_.find(id); it != by_id_.end()) return *it->second;
  lru_.push_front(built);
  by_id_.emplace(id, lru_.begin());
  while (lru_.size() > t.max_tenants) {
    by_id_.erase(lru_.back()->id);
    lru_.pop_back();
  }
  return built;
}

absl::StatusOr<TenantPtr> TenantDirectory::Build(const std::string& id) const {
  const TenancyConfig& t = *options_.tenancy;
  auto tenant = std::make_shared<Tenant>();
  tenant->id = id;
  tenant->cache_namespace = absl::StrCat("tenant:", id, "\n");
  tenant->model = base_->model;  // shared, unless the tenant has an overlay
  if (!t.model_overlay.empty()) {
    std::string overlay = Under(options_.config_dir, ExpandTenant(t.model_overlay, id));
    std::error_code ec;
    if (fs::is_directory(overlay, ec)) {
      model::LoadResult loaded = model::LoadModelWithOverlay(options_.model_dir, overlay, ExpandTenant(t.model_overlay, id));
      if (!loaded.model) {
        for (const auto& e : loaded.errors) spdlog::error("tenant '{}': model: {}", id, e.ToString());
        return absl::InternalError(absl::StrCat("tenant '", id, "': its model overlay has errors"));
      }
      absl::StatusOr<std::shared_ptr<const TenantModel>> compiled = Compile(loaded.model);
      if (!compiled.ok()) {
        spdlog::error("tenant '{}': {}", id, std::string(compiled.status().message()));
        return absl::InternalError(absl::StrCat("tenant '", id, "': its model overlay has errors"));
      }
      tenant->model = *std::move(compiled);
    }
  }
  return TenantPtr(std::move(tenant));
}

absl::StatusOr<driver::DataSourcePtr> TenantDirectory::SourceFor(const Tenant& tenant) {
  if (pool_ == nullptr || tenant.id.empty()) {
    if (shared_source_ == nullptr) return absl::InternalError("no data source for this request");
    return shared_source_;
  }
  const std::string& id = tenant.id;
  return pool_->Get(id, [this, id] { return OpenTenantSource(id); });
}

absl::StatusOr<driver::DataSourcePtr> TenantDirectory::OpenTenantSource(const std::string& id) const {
  const TenantSourceTemplate& s = *options_.tenancy->source;
  driver::DataSourceConfig config = options_.shared_database;
  config.type = s.type;
  if (s.type == "sqlite") {
    config.database = Under(options_.config_dir, ExpandTenant(s.file, id));
    std::error_code ec;
    // A tenant whose file does not exist has no data here: say so instead of
    // letting SQLite report an open error later.
    if (!fs::is_regular_file(config.database, ec)) {
      spdlog::warn("tenant '{}': no database file at {}", id, config.database);
      return absl::UnavailableError("The tenant's database is not available");
    }
  } else {
    if (!s.database.empty()) config.database = ExpandTenant(s.database, id);
    if (!s.schema.empty()) {
      config.schema = ExpandTenant(s.schema, id);
      if (!std::regex_match(config.schema, patterns_->schema)) {
        spdlog::warn("tenant '{}': schema name does not match the allow-list pattern", id);
        return absl::PermissionDeniedError("The token's tenant is not allowed");
      }
    }
  }
  absl::StatusOr<driver::DataSourcePtr> source = driver::OpenDataSource(config);
  if (!source.ok()) {
    spdlog::warn("tenant '{}': cannot open its data source: {}", id, std::string(source.status().message()));
    return absl::UnavailableError("The tenant's database is not available");
  }
  return source;
}

}  // namespace tessera::tenancy
