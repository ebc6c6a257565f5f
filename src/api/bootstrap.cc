#include "api/bootstrap.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/app.h"
#include "api/audit_setup.h"
#include "api/key_set_auditor.h"
#include "api/tenant_setup.h"
#include "api/web_setup.h"
#include "http/server.h"
#include "identity/issuer_config.h"
#include "identity/remote/jwks_cache.h"
#include "identity/token_identity.h"
#include "identity/token_policy.h"
#include "model/compiled_model.h"

namespace tessera::api {

namespace {

// Waits for SIGINT/SIGTERM on a dedicated thread (signals blocked elsewhere),
// so shutdown runs as ordinary code, not inside a signal handler.
void BlockShutdownSignals(sigset_t& set) {
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void PrintDevModeWarning(std::ostream& console, uint16_t port) {
  console << "\n"
          << "  ############################################################################\n"
          << "  #  DEVELOPMENT MODE: authentication is OFF.                                #\n"
          << "  #  Anyone who can reach this port can read every row the model exposes.    #\n"
          << "  #  Never run CUBEJS_DEV_MODE=true where untrusted clients can connect.     #\n"
          << "  ############################################################################\n\n";
  (void)port;
}

// One line for the console: which algorithms and checks are in force (never
// key material).
std::string DescribePolicy(const identity::TokenPolicy& policy) {
  std::vector<std::string> algs;
  for (const auto& key : policy.signing_keys) {
    std::string name(identity::jose::AlgorithmName(key.alg));
    if (std::find(algs.begin(), algs.end(), name) == algs.end()) algs.push_back(name);
  }
  std::string out = algs.empty() ? std::string("signed") : absl::StrCat("signed with ", absl::StrJoin(algs, ", "));
  if (policy.remote_keys) absl::StrAppend(&out, algs.empty() ? "" : " or", " by the keys of ", policy.remote_keys->label());
  if (!policy.issuers.empty()) {
    std::vector<std::string> names;
    for (const auto& issuer : policy.issuers) names.push_back(issuer->issuer);
    absl::StrAppend(&out, algs.empty() && !policy.remote_keys ? "" : " or", " by issuers ", absl::StrJoin(names, ", "));
  }
  if (!policy.decryption_keys.empty()) {
    absl::StrAppend(&out, policy.require_encryption ? "; encryption required" : "; encrypted tokens accepted");
  }
  absl::StrAppend(&out, policy.claims.require_exp ? "; exp required" : "; exp optional",
                  ", leeway ", policy.claims.leeway.count(), " s");
  if (!policy.claims.issuers.empty()) absl::StrAppend(&out, "; iss checked");
  if (!policy.claims.audiences.empty()) absl::StrAppend(&out, "; aud checked");
  return out;
}

// The key sets' first fetches (started by their caches) are awaited
// together, briefly, so the console says whether the providers answered; a
// provider that is down does not stop the server (its cache keeps retrying,
// and /readyz reports it).
void ReportKeySets(const identity::TokenPolicy& policy, std::ostream& console) {
  std::vector<std::pair<std::string, identity::JwksCache*>> sets;
  if (policy.remote_keys) sets.emplace_back(policy.remote_keys->label(), policy.remote_keys.get());
  for (const auto& issuer : policy.issuers) sets.emplace_back(issuer->issuer, issuer->keys.get());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (auto& [name, keys] : sets) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    absl::Status fetched = keys->AwaitFirstFetch(std::max(left, std::chrono::milliseconds(0)));
    if (fetched.ok()) {
      console << "Key set of " << name << ": " << keys->Keys()->size() << " keys\n";
    } else {
      console << "Key set of " << name << ": not available yet (" << fetched.message()
              << "); retrying in the background\n";
    }
  }
}

}  // namespace

absl::Status RunServer(const config::Settings& settings, std::ostream& console) {
  // Before any thread starts (the key sets' refreshers start with the token
  // policy): a thread that does not block SIGTERM would take it with the
  // default action, and the server would die without its shutdown (no
  // `stop` record, the audit file's reserve left in place).
  sigset_t signals;
  BlockShutdownSignals(signals);
  // Outside dev mode every request needs a valid token; the policy is built
  // (and weak or contradictory key configuration refused) before anything
  // listens.
  std::unique_ptr<identity::IdentityStage> identity;
  bool issuer_tenants = false;  // some issuer is bound to tenants
  std::vector<KeySetAuditor::Watched> key_sets;  // recorded in the audit log
  if (settings.dev_mode) {
    identity = identity::MakeDevModeIdentity();
  } else {
    identity::TokenSettings token = settings.token;
    token.roles_claim = settings.roles_claim;
    absl::StatusOr<std::vector<identity::IssuerConfig>> issuers =
        identity::ReadIssuerConfigs(settings.config_text, settings.config_label);
    if (!issuers.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("Token configuration: ", std::string(issuers.status().message())));
    }
    token.issuers = *std::move(issuers);
    absl::StatusOr<identity::TokenPolicy> policy = identity::BuildTokenPolicy(token);
    if (!policy.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Token configuration: ", std::string(policy.status().message())));
    }
    console << "Tokens: " << DescribePolicy(*policy) << "\n";
    ReportKeySets(*policy, console);
    if (policy->remote_keys) key_sets.push_back({policy->remote_keys->label(), policy->remote_keys});
    for (const auto& issuer : policy->issuers) key_sets.push_back({issuer->issuer, issuer->keys});
    issuer_tenants = std::any_of(policy->issuers.begin(), policy->issuers.end(),
                                 [](const auto& issuer) { return issuer->tenants != nullptr; });
    identity = identity::MakeTokenIdentity(*std::move(policy));
  }
  model::LoadResult loaded = model::LoadModelDirectory(settings.schema_path);
  if (!loaded.model) {
    std::string all;
    for (const auto& e : loaded.errors) absl::StrAppend(&all, "\n  ", e.ToString());
    return absl::InvalidArgumentError(
        absl::StrCat("The data model in '", settings.schema_path, "' has errors:", all));
  }
  AppOptions options;
  options.default_limit = settings.default_limit;
  options.max_limit = settings.max_limit;
  options.continue_wait = settings.continue_wait;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  options.worker_threads = settings.worker_threads > 0 ? settings.worker_threads : static_cast<int>(2 * cores);
  options.cache_max_entries = settings.cache_max_entries;
  options.default_refresh = std::chrono::seconds(settings.cache_refresh_seconds);
  options.roles_claim = settings.roles_claim;
  options.default_api_scopes = settings.default_api_scopes;
  options.role_api_scopes = settings.role_api_scopes;
  if (absl::StatusOr<policy::ApiScopes> scopes =
          policy::ApiScopes::Parse(settings.default_api_scopes, settings.role_api_scopes);
      !scopes.ok()) {
    return scopes.status();
  }
  // Policies, rewrite rules and tenancy that do not compile stop the server
  // here, with file and line.
  absl::StatusOr<std::shared_ptr<tenancy::TenantDirectory>> tenants = OpenTenants(settings, loaded.model);
  if (!tenants.ok()) return tenants.status();
  if (issuer_tenants && !(*tenants)->multi_tenant()) {
    return absl::InvalidArgumentError(
        "Token configuration: an issuer lists 'tenants', but tessera.yaml has no 'tenancy' section to say which "
        "tenant a token is for");
  }
  // "the databases of its tenants" only when each tenant has its own.
  const bool multi_tenant = (*tenants)->multi_tenant() && (*tenants)->shared_source() == nullptr;
  const std::string db_type =
      (*tenants)->shared_source() ? std::string((*tenants)->shared_source()->db_type()) : "per-tenant";
  // The audit log before anything listens: no request goes unrecorded.
  // A full disk must show as a failed write (EFBIG), not kill the process.
  ::signal(SIGXFSZ, SIG_IGN);
  // The server counts its connections; the audit log's group commit reads
  // the count.
  auto open_connections = std::make_shared<std::atomic<int64_t>>(0);
  absl::StatusOr<std::shared_ptr<audit::AuditLog>> audit =
      OpenAuditLog(settings, static_cast<int>(loaded.model->cubes().size()), console, open_connections);
  if (!audit.ok()) return audit.status();
  options.audit = *audit;
  std::unique_ptr<KeySetAuditor> key_set_auditor;
  if (*audit != nullptr) key_set_auditor = std::make_unique<KeySetAuditor>(*audit, std::move(key_sets));
  if (*audit != nullptr) options.audit_log_path = AuditLogPath(settings);
  options.audit_refuses = settings.audit_refuse;
  absl::StatusOr<std::shared_ptr<const web::WebSite>> site = OpenWebSite(settings, console);
  if (!site.ok()) return site.status();
  options.site = *std::move(site);
  options.playground = settings.dev_mode;
  auto app = std::make_shared<App>(options, *std::move(tenants), std::move(identity));

  http::ServerOptions server_options;
  server_options.address = settings.listen_address;
  server_options.port = settings.port;
  server_options.io_threads = settings.io_threads;
  server_options.max_body_bytes = settings.max_body_bytes;
  server_options.max_target_bytes = settings.max_url_bytes;
  server_options.open_connections = open_connections;
  absl::StatusOr<std::unique_ptr<http::Server>> server = http::Server::Create(server_options, app);
  if (!server.ok()) return server.status();

  if (settings.dev_mode) PrintDevModeWarning(console, (*server)->port());
  console << "Tessera is serving the " << db_type << " database" << (multi_tenant ? "s of its tenants" : "")
          << " with " << loaded.model->cubes().size() << " cubes from '" << settings.schema_path << "'\n"
          << "API:  http://" << settings.listen_address << ":" << (*server)->port()
          << "/cubejs-api/v1\n";
  if (options.site != nullptr) {
    console << (settings.dev_mode ? "Playground" : "Dashboard") << ": http://" << settings.listen_address << ":"
            << (*server)->port() << "/\n";
  }
  console
          << "Try:  curl " << (settings.dev_mode ? "" : "-H \"Authorization: Bearer $(tessera token | sed -n 's/^Token: //p')\" ")
          << "http://localhost:" << (*server)->port()
          << "/cubejs-api/v1/load -G -s --data-urlencode "
             "'query={\"measures\": [\"Orders.count\"], \"dimensions\": [\"Orders.status\"]}'\n"
          << std::flush;
  (*server)->Start();

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    (*server)->Stop();
  });
  (*server)->Wait();
  // If the server stopped for another reason, release the signal thread.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  key_set_auditor.reset();
  if (*audit != nullptr) (*audit)->Stop(StopRecordFields());
  console << "Tessera stopped.\n";
  return absl::OkStatus();
}

}  // namespace tessera::api
