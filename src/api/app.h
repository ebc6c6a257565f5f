#pragma once
// The analytics API: Cube's REST endpoints over one compiled model and one
// data source. Each request walks the pipeline
//   identity -> query parse/validate -> SQL compile -> cache/driver -> JSON
// and every failure becomes a response in api/error_response.cc.
#include <chrono>
#include <memory>
#include <string>

#include "api/deadline_timer.h"
#include "api/query_runner.h"
#include "api/request_record.h"
#include "audit/audit_log.h"
#include "api/worker_pool.h"
#include "cache/result_cache.h"
#include "driver/data_source.h"
#include "http/http_types.h"
#include "identity/identity_stage.h"
#include "model/compiled_model.h"
#include "policy/access_policies.h"
#include "policy/api_scopes.h"
#include "policy/query_rewrite.h"
#include "query/parse.h"
#include "tenancy/tenant_directory.h"
#include "web/web_site.h"

namespace tessera::api {

struct AppOptions {
  bool cache_responses = true;  // the whole-response cache in front of the pipeline
  int64_t default_limit = 10000;
  int64_t max_limit = 50000;
  std::chrono::milliseconds continue_wait{5000};
  int worker_threads = 8;
  size_t cache_max_entries = 10000;
  std::chrono::seconds default_refresh{10};
  // The security-context claim (dotted path) that holds the caller's role or
  // roles, for access policies (TESSERA_ROLES_CLAIM).
  std::string roles_claim = "role";
  // API scopes: the default for callers whose roles are not listed, and
  // per-role lists ("admin:meta,data,sql;viewer:meta"). Dev mode has all.
  std::string default_api_scopes = "meta,data,sql";
  std::string role_api_scopes;
  // Query rewrite rules (tessera.yaml `query_rewrite:`), for the constructor
  // that builds its own single-tenant directory.
  std::vector<policy::RewriteRule> rewrite_rules;
  // The audit log every API request is recorded in before it is answered
  // (null: no audit log).
  std::shared_ptr<audit::AuditLog> audit;
  bool audit_refuses = true;  // its on_failure is refuse: not ready while it fails
  std::string audit_log_path;  // the active file, for GET /cubejs-api/v1/audit
  // The browser app answering every path outside the API (null: those get
  // 404). Static files touch neither data nor the model: not audited.
  std::shared_ptr<const web::WebSite> site;
  // Dev mode: the Playground's endpoints (/playground/db-schema and
  // /playground/generate-schema), audited like the API's.
  bool playground = false;
  // Injected clock for relative date ranges ("last 7 days"); tests pin it.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

class App final : public http::Handler {
 public:
  // One tenant: `model` over `source`, with options.rewrite_rules.
  App(AppOptions options, model::CompiledModelPtr model, driver::DataSourcePtr source,
      std::unique_ptr<identity::IdentityStage> identity);
  // Tenants resolved from claims by `tenants` (which also holds the rewrite
  // rules and the roles claim it was built with).
  App(AppOptions options, std::shared_ptr<tenancy::TenantDirectory> tenants,
      std::unique_ptr<identity::IdentityStage> identity);
  ~App() override;

  void Handle(http::Request request, http::Responder respond) override;

 private:
  // Who is asking and on behalf of which tenant.
  struct Caller {
    const identity::Principal& who;
    const tenancy::Tenant& tenant;
    std::shared_ptr<RequestRecord> record;  // null without an audit log
  };
  void Load(const http::Request& req, const Caller& caller, http::Responder respond);
  void Sql(const http::Request& req, const Caller& caller, http::Responder respond);
  void DryRun(const http::Request& req, const Caller& caller, http::Responder respond);
  void Meta(const http::Request& req, const Caller& caller, http::Responder respond);
  void AuditSearch(const http::Request& req, const Caller& caller, http::Responder respond);
  // The Playground's model generator (dev mode): introspects the caller's
  // tenant's database on a worker.
  void Playground(const http::Request& req, const Caller& caller, http::Responder respond);
  void Ready(http::Responder respond);

  struct Prepared;
  // `require_multi`: an array of queries needs queryType=multi (Cube's /load rule).
  absl::StatusOr<Prepared> Prepare(const http::Request& req, const Caller& caller, bool require_multi);
  // Records the refusal (when audited) and answers with its error response.
  static void Refuse(RequestRecord* record, const http::Responder& respond, const absl::Status& status,
                     const std::string& request_id, const char* outcome = nullptr);
  // Wraps `respond` so that the answer leaves only once its record is stored.
  http::Responder Audited(std::shared_ptr<RequestRecord> record, http::Responder respond) const;

  AppOptions options_;
  std::shared_ptr<tenancy::TenantDirectory> tenants_;  // null only when policy_error_ is set
  std::unique_ptr<identity::IdentityStage> identity_;
  cache::ResultCache cache_;
  // Whole /load responses by request text: a repeated dashboard request skips
  // parsing, compiling and serialising. Entries live no longer than the
  // results they contain. The key starts with the tenant's namespace and the
  // principal's fingerprint (a hash of the verified claims), so the same
  // claims — hence the same policies and parameters — of the same tenant are
  // the only ones that share an entry.
  cache::ResultCache responses_;
  DeadlineTimer timer_;
  // Declared before the pool so that it is destroyed after it: the pool's
  // destructor finishes queued jobs, and those call into the runner.
  QueryRunner runner_;
  WorkerPool workers_;
  // If policies, rewrite rules or scopes fail to compile, every API request
  // fails closed with policy_error_.
  std::optional<policy::ApiScopes> scopes_;
  absl::Status policy_error_;
  void Init();
  // The caller's access (nullopt: no policies apply — no model policies, or dev mode).
  static std::optional<policy::Access> AccessFor(const Caller& caller);
  static const std::string& UnrestrictedMeta(const tenancy::TenantModel& model);
};

}  // namespace tessera::api
