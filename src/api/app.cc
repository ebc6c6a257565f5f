#include "api/app.h"

#include "policy/context_path.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "api/audit_endpoint.h"
#include "api/error_response.h"
#include "api/playground.h"
#include "api/result_json.h"
#include "base/internal_reason.h"
#include "base/log_safe.h"
#include "base/status_macros.h"
#include "base/user_error.h"
#include "query/json_text.h"
#include "query/normalize.h"
#include "query/validate.h"
#include "sql/aliases.h"
#include "sql/query_compiler.h"

namespace tessera::api {

namespace json = boost::json;

namespace {

constexpr char kApiPrefix[] = "/cubejs-api/v1/";
constexpr char kPlaygroundPrefix[] = "/playground/";

http::Response JsonResponse(std::string body, int status = 200) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string IsoUtc(std::chrono::system_clock::time_point t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(t), absl::UTCTimeZone());
}

// Adds the CORS headers Cube sends by default, so browser apps on another
// origin (the tutorial's dashboard) can call the API.
http::Responder WithCors(http::Responder respond) {
  return [respond = std::move(respond)](http::Response r) {
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    respond(std::move(r));
  };
}

// Every path but the API's, the health checks and the Playground's endpoints.
// All of /cubejs-api stays the API's, so that a client calling a version or
// endpoint that does not exist gets a JSON 404, not the app's HTML page.
bool IsSitePath(const std::string& path) {
  return path.rfind("/cubejs-api", 0) != 0 && path != "/livez" && path != "/readyz" &&
         path.rfind(kPlaygroundPrefix, 0) != 0;
}

std::string QueryType(const query::ParsedRequest& parsed) {
  if (parsed.is_array) return "blendingQuery";
  if (parsed.compare_date_range) return "compareDateRangeQuery";
  return "regularQuery";
}

// The first query of a multi answer, as Cube 0.27 shows it: marked with the
// request's type and, for compareDateRange, the extra "compareDateRange"
// dimension (a side effect of how Cube builds pivotQuery, which clients see).
json::object FirstQueryOfMulti(const query::ParsedRequest& parsed) {
  json::object q = query::NormalizedJson(parsed.queries.front());
  if (parsed.compare_date_range) q["dimensions"].as_array().emplace_back("compareDateRange");
  q["queryType"] = QueryType(parsed);
  return q;
}

// Cube's pivotQuery: the query itself for a regular query; for a blended
// one, every measure over a shared "time" dimension at the common granularity.
json::object PivotQuery(const query::ParsedRequest& parsed) {
  if (!parsed.is_array) return FirstQueryOfMulti(parsed);
  json::array measures;
  std::string granularity;
  for (const auto& q : parsed.queries) {
    for (const auto& m : q.measures) measures.emplace_back(json::string(m));
    for (const auto& td : q.time_dimensions) {
      if (td.granularity && granularity.empty()) granularity = std::string(GranularityName(*td.granularity));
    }
  }
  json::array time_dimensions;
  if (!granularity.empty()) {
    time_dimensions.push_back(json::object{{"dimension", "time"}, {"granularity", granularity}});
  }
  return json::object{{"measures", std::move(measures)},
                      {"dimensions", json::array{}},
                      {"timeDimensions", std::move(time_dimensions)},
                      {"queryType", "blendingQuery"}};
}

// The text that fully determines a /load answer for one principal, or ""
// when the request cannot be answered from the response cache.
std::string ResponseKey(const http::Request& req) {
  if (req.method == "POST") return "P\n" + req.body;
  const std::string* q = req.QueryParam("query");
  if (q == nullptr) return "";
  const std::string* t = req.QueryParam("queryType");
  std::string key = "G\n";
  if (t) key += *t;
  key += '\n';
  key += *q;
  return key;
}

// Relative date ranges ("last 7 days") mean something else tomorrow, so
// answers to them are not kept by request text.
bool UsesRelativeDates(const json::value& v) {
  if (const json::array* a = v.if_array()) {
    for (const auto& e : *a) {
      if (UsesRelativeDates(e)) return true;
    }
    return false;
  }
  const json::object* o = v.if_object();
  if (o == nullptr) return false;
  if (const json::value* q = o->if_contains("query")) return UsesRelativeDates(*q);
  if (const json::value* tds = o->if_contains("timeDimensions"); tds && tds->is_array()) {
    for (const auto& td : tds->get_array()) {
      if (!td.is_object()) continue;
      const json::value* r = td.get_object().if_contains("dateRange");
      if (r && r->is_string()) return true;
      if (const json::value* c = td.get_object().if_contains("compareDateRange"); c && c->is_array()) {
        for (const auto& range : c->get_array()) {
          if (range.is_string()) return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

struct App::Prepared {
  query::ParsedRequest parsed;
  bool multi = false;
  bool cacheable_response = false;
  std::vector<std::shared_ptr<const PreparedStatement>> statements;
  // For the audit record (filled only when audited): the queries after
  // policies and rewrite rules (a JSON array), the policies that applied and
  // the statements' fingerprints.
  std::string rewritten_json;
  std::vector<std::string> policies;
  std::vector<std::string> sql_fingerprints;
};

App::App(AppOptions options, model::CompiledModelPtr model, driver::DataSourcePtr source,
         std::unique_ptr<identity::IdentityStage> identity)
    : options_(std::move(options)),
      identity_(std::move(identity)),
      cache_(options_.cache_max_entries),
      responses_(options_.cache_responses ? options_.cache_max_entries : 0),
      runner_(cache_, workers_, timer_, options_.continue_wait),  // stores references only
      workers_(options_.worker_threads) {
  tenancy::TenantDirectoryOptions directory;
  directory.roles_claim = options_.roles_claim;
  directory.rewrite_rules = options_.rewrite_rules;
  absl::StatusOr<std::unique_ptr<tenancy::TenantDirectory>> tenants =
      tenancy::TenantDirectory::Create(std::move(directory), std::move(model), std::move(source));
  if (tenants.ok()) {
    tenants_ = *std::move(tenants);
  } else {
    policy_error_ = tenants.status();
  }
  Init();
}

App::App(AppOptions options, std::shared_ptr<tenancy::TenantDirectory> tenants,
         std::unique_ptr<identity::IdentityStage> identity)
    : options_(std::move(options)),
      tenants_(std::move(tenants)),
      identity_(std::move(identity)),
      cache_(options_.cache_max_entries),
      responses_(options_.cache_responses ? options_.cache_max_entries : 0),
      runner_(cache_, workers_, timer_, options_.continue_wait),
      workers_(options_.worker_threads) {
  if (tenants_ == nullptr) policy_error_ = absl::InternalError("no tenant directory");
  Init();
}

void App::Init() {
  absl::StatusOr<policy::ApiScopes> scopes =
      policy::ApiScopes::Parse(options_.default_api_scopes, options_.role_api_scopes);
  if (scopes.ok()) {
    scopes_ = *std::move(scopes);
  } else if (policy_error_.ok()) {
    policy_error_ = scopes.status();
  }
}

App::~App() = default;

void App::Refuse(RequestRecord* record, const http::Responder& respond, const absl::Status& status,
                 const std::string& request_id, const char* outcome) {
  if (record != nullptr) record->Refused(status, outcome);
  respond(ErrorResponse(status, request_id));
}

http::Responder App::Audited(std::shared_ptr<RequestRecord> record, http::Responder respond) const {
  return [audit = options_.audit, record = std::move(record), respond = std::move(respond)](http::Response r) mutable {
    // Built in this thread's buffer; Submit copies it.
    thread_local std::string fields;
    fields = record->Fields(r.status, std::move(fields));
    // The log calls back, so a plain pointer to it is safe there (a shared
    // one could make the writer thread destroy its own log).
    audit->Submit(fields, [log = audit.get(), record, respond = std::move(respond),
                           r = std::move(r)](absl::Status stored) mutable {
      if (stored.ok()) {
        respond(std::move(r));
        return;
      }
      // No record, no answer: the client learns only that it was refused.
      // The refusal is a decision too; its record says so and is stored
      // once the log can store again.
      record->Refused(WithInternalReason(stored, "the audit log could not store the record"), "error");
      log->KeepForLater(record->Fields(503));
      respond(JsonError(503, "The audit log is unavailable; the request was not answered"));
    });
  };
}

void App::Handle(http::Request req, http::Responder respond) {
  // The browser app's own files are not the API's: no CORS header for them
  // (another site has no business reading the app), and no audit record.
  if (options_.site != nullptr && IsSitePath(req.path)) {
    respond(options_.site->Answer(req));
    return;
  }
  respond = WithCors(std::move(respond));
  if (req.method == "OPTIONS") {
    http::Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers",
                           "Authorization, Content-Type, X-Request-Id");
    r.headers.emplace_back("Access-Control-Max-Age", "86400");
    respond(std::move(r));
    return;
  }
  if (req.path == "/livez") {
    respond(JsonResponse(R"({"health":"HEALTH"})"));
    return;
  }
  if (req.path == "/readyz") {
    Ready(std::move(respond));
    return;
  }
  std::string endpoint;
  if (req.path.rfind(kApiPrefix, 0) == 0) {
    endpoint = req.path.substr(sizeof(kApiPrefix) - 1);
  } else if (options_.playground && req.path.rfind(kPlaygroundPrefix, 0) == 0) {
    endpoint = req.path.substr(1);  // "playground/db-schema"
  } else {
    respond(JsonError(404, "Not Found"));
    return;
  }
  // Every request to the API is recorded, whatever becomes of it.
  std::shared_ptr<RequestRecord> record;
  if (options_.audit != nullptr) {
    record = std::make_shared<RequestRecord>();
    record->request_id = req.request_id;
    record->client = req.client_address;
    record->method = req.method;
    record->endpoint = endpoint;
    if (req.method == "POST") {
      record->query = req.body;
    } else if (const std::string* q = req.QueryParam("query")) {
      record->query = *q;
    }
    respond = Audited(record, std::move(respond));
  }
  bool is_get_or_post = req.method == "GET" || req.method == "POST" || req.method == "HEAD";
  if (!is_get_or_post) {
    respond(JsonError(405, "Method Not Allowed"));
    return;
  }
  // Identity first: nothing about the model or data is revealed before it.
  absl::StatusOr<identity::Principal> who = identity_->Identify(req);
  if (!who.ok()) {
    Refuse(record.get(), respond, who.status(), req.request_id, "invalid");
    return;
  }
  if (record != nullptr) {
    record->issuer = who->issuer;
    record->subject = who->subject;
    record->token_ref = who->token_ref;
    if (who->authenticated) {
      std::set<std::string> roles = policy::RolesOf(who->security_context, options_.roles_claim);
      record->roles.assign(roles.begin(), roles.end());
    }
  }
  if (!policy_error_.ok()) {
    // Policies that do not compile must not leave the data open.
    Refuse(record.get(), respond, absl::InternalError(std::string(policy_error_.message())), req.request_id);
    return;
  }
  // The audit log is for auditors: a verified caller whose role has the
  // `audit` scope, never everyone (not even in dev mode).
  const bool audit_endpoint = endpoint == "audit";
  if (audit_endpoint && !who->authenticated) {
    Refuse(record.get(), respond, absl::PermissionDeniedError("The audit log needs a token with the audit scope"),
           req.request_id);
    return;
  }
  // API scopes (Cube's): which endpoints this caller may use at all.
  if (who->authenticated && (audit_endpoint || !scopes_->AllowsEverything())) {
    const char* scope = audit_endpoint ? "audit" : endpoint == "meta" ? "meta" : endpoint == "sql" ? "sql" : "data";
    absl::Status allowed = scopes_->Check(policy::RolesOf(who->security_context, options_.roles_claim), scope);
    if (record != nullptr) record->policies.push_back("api_scopes");
    if (!allowed.ok()) {
      Refuse(record.get(), respond, allowed, req.request_id);
      return;
    }
  }
  // The tenant next: it decides which model, policies and database apply.
  absl::StatusOr<tenancy::TenantPtr> tenant = tenants_->Resolve(who->security_context, who->authenticated);
  if (!tenant.ok()) {
    Refuse(record.get(), respond, tenant.status(), req.request_id);
    return;
  }
  if (record != nullptr) record->tenant = (*tenant)->id;
  // An issuer bound to some tenants speaks for no other (its users' tokens
  // must not name another tenant, whatever the provider puts in them).
  if (who->allowed_tenants != nullptr && !(*tenant)->id.empty() &&
      std::find(who->allowed_tenants->begin(), who->allowed_tenants->end(), (*tenant)->id) ==
          who->allowed_tenants->end()) {
    spdlog::warn("request {}: issuer {} may not speak for tenant {}", req.request_id, LogSafe(who->issuer),
                 LogSafe((*tenant)->id));
    if (record != nullptr) record->policies.push_back("issuer_tenants");
    Refuse(record.get(), respond,
           WithInternalReason(absl::PermissionDeniedError("The token's tenant is not allowed"),
                              absl::StrCat("issuer ", who->issuer, " may not speak for tenant ", (*tenant)->id)),
           req.request_id);
    return;
  }
  Caller caller{*who, **tenant, record};
  if (audit_endpoint) {
    AuditSearch(req, caller, std::move(respond));
  } else if (endpoint == "load") {
    Load(req, caller, std::move(respond));
  } else if (endpoint == "sql") {
    Sql(req, caller, std::move(respond));
  } else if (endpoint == "dry-run") {
    DryRun(req, caller, std::move(respond));
  } else if (endpoint == "meta") {
    Meta(req, caller, std::move(respond));
  } else if (endpoint.rfind("playground/", 0) == 0) {
    Playground(req, caller, std::move(respond));
  } else {
    respond(JsonError(404, "Not Found"));
  }
}

absl::StatusOr<App::Prepared> App::Prepare(const http::Request& req, const Caller& caller, bool require_multi) {
  const identity::Principal& who = caller.who;
  const model::CompiledModel& model = *caller.tenant.model->model;
  // The query is parsed once, whether it came as GET text or inside a POST
  // body; the same value decides cacheability and feeds the query parser.
  json::value query_value;
  std::string query_type;
  if (req.method == "POST") {
    // POST {"query": {...}, "queryType": "multi"}
    TESSERA_ASSIGN_OR_RETURN(json::value body, query::ParseJsonText(req.body));
    if (!body.is_object()) return UserError("Request body must be a JSON object with a \"query\"");
    const json::value* q = body.as_object().if_contains("query");
    if (q == nullptr) return UserError("query param is required");
    if (q->is_string()) {
      std::string_view text(q->get_string().data(), q->get_string().size());
      if (text.empty() || text == "undefined") return UserError("query param is required");
      TESSERA_ASSIGN_OR_RETURN(query_value, query::ParseJsonText(text));
    } else {
      query_value = *q;
    }
    if (const json::value* t = body.as_object().if_contains("queryType"); t && t->is_string()) {
      query_type = std::string(t->get_string());
    }
  } else {
    const std::string* q = req.QueryParam("query");
    // Cube's client sends the text "undefined" when it has no query.
    if (q == nullptr || q->empty() || *q == "undefined") return UserError("query param is required");
    TESSERA_ASSIGN_OR_RETURN(query_value, query::ParseJsonText(*q));
    if (const std::string* t = req.QueryParam("queryType")) query_type = *t;
  }
  query::ParseOptions parse_options;
  parse_options.now = options_.now();
  parse_options.default_limit = options_.default_limit;
  parse_options.max_limit = options_.max_limit;
  Prepared out;
  out.cacheable_response = !UsesRelativeDates(query_value);
  TESSERA_ASSIGN_OR_RETURN(out.parsed, query::ParseRequestValue(query_value, parse_options));
  out.multi = query_type == "multi";
  if ((out.parsed.is_array || out.parsed.compare_date_range) && !out.multi && require_multi) {
    return UserError(absl::StrCat("'", QueryType(out.parsed),
                                  "' query type is not supported by the client. Please update the client."));
  }
  TESSERA_ASSIGN_OR_RETURN(driver::DataSourcePtr source, tenants_->SourceFor(caller.tenant));
  const sql::Dialect& dialect = source->dialect();
  std::optional<policy::Access> access = AccessFor(caller);
  // Rewrite rules apply to verified callers, like policies (dev mode is open).
  std::optional<policy::Rewrite> rewrite;
  if (caller.tenant.model->rewrite && who.authenticated) rewrite = caller.tenant.model->rewrite->Evaluate(who.security_context);
  for (query::Query& q : out.parsed.queries) {
    // Required filters are judged on the query as the client sent it, not
    // on what the rules below add to it.
    std::optional<query::Query> as_received;
    if (rewrite && !rewrite->empty()) as_received = q;
    // Policies first: a hidden member is refused before anything about it is
    // checked; row filters and mandatory filters join the query as ordinary
    // filters (claims become values, hence bound parameters).
    std::set<std::string> filtered, rewritten;
    if (access && caller.record != nullptr) {
      // The policies of every cube the query names take part in the decision
      // (the cubes the join path adds are recorded once they are known).
      for (const std::string& cube : policy::Access::CubesOf(q)) {
        if (access->ForCube(cube) != nullptr) caller.record->policies.push_back("access_policy:" + cube);
      }
    }
    if (access) {
      TESSERA_RETURN_IF_ERROR(access->CheckQuery(q));
      TESSERA_RETURN_IF_ERROR(access->AddRowFilters(policy::Access::CubesOf(q), filtered, q).status());
    }
    if (rewrite) TESSERA_RETURN_IF_ERROR(rewrite->AddFilters(policy::Access::CubesOf(q), rewritten, q).status());
    TESSERA_RETURN_IF_ERROR(query::ValidateQuery(q, model));
    sql::CompileOptions copts;
    copts.security_context = &who.security_context;
    copts.default_limit = options_.default_limit;
    auto st = std::make_shared<PreparedStatement>();
    st->source = source;
    TESSERA_ASSIGN_OR_RETURN(st->compiled, sql::CompileQuery(q, model, dialect, copts));
    // A cube the join path reads without being named (or named only inside
    // member SQL) gets its row and mandatory filters too; they may join more
    // cubes, so this repeats until nothing is added.
    for (int round = 0; access || rewrite; ++round) {
      bool added = false;
      if (access) {
        TESSERA_ASSIGN_OR_RETURN(bool more, access->AddRowFilters(st->compiled.cubes, filtered, q));
        added = added || more;
      }
      if (rewrite) {
        TESSERA_ASSIGN_OR_RETURN(bool more, rewrite->AddFilters(st->compiled.cubes, rewritten, q));
        added = added || more;
      }
      if (!added) break;
      if (round == 8) return absl::InternalError("access policy row filters do not converge");
      TESSERA_ASSIGN_OR_RETURN(st->compiled, sql::CompileQuery(q, model, dialect, copts));
    }
    if (as_received) TESSERA_RETURN_IF_ERROR(rewrite->CheckRequired(st->compiled.cubes, *as_received));
    std::vector<std::pair<int, std::string>> params;
    for (const auto& p : st->compiled.params) params.emplace_back(static_cast<int>(p.type), p.text);
    if (out.parsed.is_array) {
      // Blended results repeat the time bucket under "time.<granularity>".
      for (const auto& td : q.time_dimensions) {
        if (td.granularity) {
          st->blending_key = absl::StrCat("time.", std::string(GranularityName(*td.granularity)));
          break;
        }
      }
    }
    if (out.parsed.compare_date_range) {
      for (const auto& td : q.time_dimensions) {
        if (td.date_range) {
          st->compare_label = absl::StrCat(FormatLocal(td.date_range->from), " - ", FormatLocal(td.date_range->to));
          break;
        }
      }
    }
    st->cache_key = caller.tenant.cache_namespace + cache::CacheKey(st->compiled.sql, params);
    // Extra row keys change the cached rows, so they are part of the key.
    if (!st->blending_key.empty()) st->cache_key += "\nblend:" + st->blending_key;
    if (!st->compare_label.empty()) st->cache_key += "\ncompare:" + st->compare_label;
    // The shortest refresh interval among the cubes the query reads.
    st->refresh_every = options_.default_refresh;
    for (const auto& c : st->compiled.columns) {
      if (c.cube && c.cube->refresh_key.every_seconds > 0) {
        st->refresh_every = std::min(st->refresh_every, std::chrono::seconds(c.cube->refresh_key.every_seconds));
      }
    }
    if (caller.record != nullptr) {
      for (const std::string& cube : filtered) out.policies.push_back("access_policy:" + cube);
      for (const std::string& cube : rewritten) out.policies.push_back("query_rewrite:" + cube);
      std::vector<std::string> texts;
      for (const auto& p : st->compiled.params) texts.push_back(p.text);
      out.sql_fingerprints.push_back(SqlFingerprint(st->compiled.sql, texts));
    }
    out.statements.push_back(std::move(st));
  }
  if (caller.record != nullptr) {
    json::array rewritten;
    for (const query::Query& q : out.parsed.queries) rewritten.push_back(query::NormalizedJson(q));
    out.rewritten_json = json::serialize(rewritten);
    // Scopes and tenancy checks first, then the policies in query order,
    // each once.
    std::vector<std::string> all = caller.record->policies;
    for (std::string& p : out.policies) all.push_back(std::move(p));
    out.policies.clear();
    for (std::string& p : all) {
      if (std::find(out.policies.begin(), out.policies.end(), p) == out.policies.end()) out.policies.push_back(std::move(p));
    }
  }
  return out;
}

void App::Load(const http::Request& req, const Caller& caller, http::Responder respond) {
  // Whole responses are kept per tenant and security context: another
  // principal's claims may change the SQL parameters, so they never share an
  // entry.
  std::string response_key = ResponseKey(req);
  if (!response_key.empty()) {
    response_key = absl::StrCat(caller.tenant.cache_namespace, caller.who.cache_fingerprint, "\n", response_key);
  }
  auto now = cache::ResultCache::Clock::now();
  RequestRecord* record = caller.record.get();
  if (!response_key.empty()) {
    if (cache::CachedResultPtr hit = responses_.Get(response_key, now)) {
      if (record != nullptr) {
        // Same principal, same request: the same rewriting, policies and SQL.
        record->work = hit->audit_work;
        record->cache = "hit";
      }
      respond(JsonResponse(hit->data_json));
      return;
    }
  }
  absl::StatusOr<Prepared> prepared = Prepare(req, caller, /*require_multi=*/true);
  if (!prepared.ok()) {
    Refuse(record, respond, prepared.status(), req.request_id);
    return;
  }
  const auto asked_at = std::chrono::system_clock::now();
  auto shared = std::make_shared<Prepared>(*std::move(prepared));
  bool renew = false;
  for (const auto& q : shared->parsed.queries) renew = renew || q.renew_query;
  std::string db_type(shared->statements.front()->source->db_type());
  std::string request_id = req.request_id;
  model::CompiledModelPtr model = caller.tenant.model->model;
  if (renew) {
    // The same query without renewQuery has another key; drop every kept
    // response so none outlives the result this request replaces.
    responses_.Clear();
  }
  if (renew || !shared->cacheable_response) response_key.clear();
  std::shared_ptr<RequestRecord> audited = caller.record;
  runner_.Run(shared->statements, renew,
              [this, shared, respond, db_type, request_id, model, response_key, audited,
               asked_at](absl::StatusOr<Results> results) {
                if (!results.ok()) {
                  if (IsContinueWait(results.status())) {
                    if (audited) audited->work = RequestRecord::Work(shared->rewritten_json, shared->policies,
                                                                    shared->sql_fingerprints, std::nullopt);
                    respond(JsonResponse(R"({"error":"Continue wait"})"));
                  } else {
                    Refuse(audited.get(), respond, results.status(), request_id);
                  }
                  return;
                }
                std::string audit_work;
                if (audited) {
                  int64_t rows = 0;
                  bool all_kept = true;  // every result was in the result cache already
                  for (const auto& r : *results) {
                    rows += static_cast<int64_t>(r->row_count);
                    all_kept = all_kept && r->refreshed_at < asked_at;
                  }
                  audit_work = RequestRecord::Work(shared->rewritten_json, shared->policies, shared->sql_fingerprints, rows);
                  audited->work = audit_work;
                  audited->cache = all_kept ? "hit" : "miss";
                }
                std::vector<std::string> bodies;
                std::string query_type = QueryType(shared->parsed);
                for (size_t i = 0; i < results->size(); ++i) {
                  const auto& r = (*results)[i];
                  const query::Query& q = shared->parsed.queries[i];
                  json::object normalized = shared->multi && i == 0 && !shared->parsed.is_array
                                                ? FirstQueryOfMulti(shared->parsed)
                                                : query::NormalizedJson(q);
                  std::string body = "{\"query\":";
                  body += json::serialize(normalized);
                  body += ",\"data\":";
                  body += r->data_json;
                  body += ",\"lastRefreshTime\":\"";
                  body += IsoUtc(r->refreshed_at);
                  body += "\",\"annotation\":";
                  body += json::serialize(Annotation(shared->statements[i]->compiled, q, *model));
                  body += ",\"dataSource\":\"default\",\"dbType\":\"";
                  body += db_type;
                  body += "\",\"external\":false,\"slowQuery\":false";
                  if (q.total) {
                    body += ",\"total\":";
                    body += r->total_json.empty() ? "0" : r->total_json;
                  }
                  body += '}';
                  bodies.push_back(std::move(body));
                }
                // Keep the whole answer as long as its freshest-expiring result.
                auto keep = [&](const std::string& body) {
                  if (response_key.empty()) return;
                  auto expires = cache::ResultCache::Clock::time_point::max();
                  auto wall = std::chrono::system_clock::now();
                  auto steady = cache::ResultCache::Clock::now();
                  for (size_t i = 0; i < results->size(); ++i) {
                    auto age = wall - (*results)[i]->refreshed_at;
                    auto left = std::chrono::duration_cast<cache::ResultCache::Clock::duration>(
                        shared->statements[i]->refresh_every - age);
                    expires = std::min(expires, steady + left);
                  }
                  auto entry = std::make_shared<cache::CachedResult>();
                  entry->data_json = body;
                  entry->audit_work = audit_work;
                  responses_.Put(response_key, std::move(entry), expires);
                };
                if (!shared->multi) {
                  keep(bodies.front());
                  respond(JsonResponse(std::move(bodies.front())));
                  return;
                }
                json::object pivot = PivotQuery(shared->parsed);
                std::string body = "{\"queryType\":\"" + query_type + "\",\"results\":[";
                for (size_t i = 0; i < bodies.size(); ++i) {
                  if (i) body += ',';
                  body += bodies[i];
                }
                body += "],\"pivotQuery\":";
                body += json::serialize(pivot);
                body += ",\"slowQuery\":false}";
                keep(body);
                respond(JsonResponse(std::move(body)));
              });
}

void App::Sql(const http::Request& req, const Caller& caller, http::Responder respond) {
  absl::StatusOr<Prepared> prepared = Prepare(req, caller, /*require_multi=*/false);
  if (!prepared.ok()) {
    Refuse(caller.record.get(), respond, prepared.status(), req.request_id);
    return;
  }
  if (caller.record != nullptr) {
    caller.record->work =
        RequestRecord::Work(prepared->rewritten_json, prepared->policies, prepared->sql_fingerprints, std::nullopt);
  }
  auto one = [&](const PreparedStatement& st) {
    json::array params;
    for (const auto& p : st.compiled.params) params.emplace_back(json::string(p.text));
    json::object order;
    for (const auto& [member, dir] : st.compiled.order) order[member] = dir;
    json::object alias_to_member;
    for (const auto& c : st.compiled.columns) {
      std::string alias = c.alias;
      alias_to_member[alias] = c.member;
    }
    json::object sql;
    sql["external"] = false;
    sql["sql"] = json::array{json::string(st.compiled.sql), std::move(params)};
    sql["order"] = std::move(order);
    sql["cacheKeyQueries"] = json::array{};
    sql["preAggregations"] = json::array{};
    sql["dataSource"] = "default";
    sql["aliasNameToMember"] = std::move(alias_to_member);
    sql["hasMultipliedMeasures"] = st.compiled.has_multiplied_measures;
    return json::object{{"sql", std::move(sql)}};
  };
  if (prepared->parsed.is_array || prepared->parsed.compare_date_range) {
    json::array all;
    for (const auto& st : prepared->statements) all.push_back(one(*st));
    respond(JsonResponse(json::serialize(
        json::object{{"queryType", QueryType(prepared->parsed)}, {"results", std::move(all)}})));
    return;
  }
  respond(JsonResponse(json::serialize(one(*prepared->statements.front()))));
}

void App::DryRun(const http::Request& req, const Caller& caller, http::Responder respond) {
  absl::StatusOr<Prepared> prepared = Prepare(req, caller, /*require_multi=*/false);
  if (!prepared.ok()) {
    Refuse(caller.record.get(), respond, prepared.status(), req.request_id);
    return;
  }
  if (caller.record != nullptr) {
    caller.record->work =
        RequestRecord::Work(prepared->rewritten_json, prepared->policies, prepared->sql_fingerprints, std::nullopt);
  }
  std::string query_type = QueryType(prepared->parsed);
  json::array normalized, order;
  for (size_t i = 0; i < prepared->parsed.queries.size(); ++i) {
    json::object n = query::NormalizedJson(prepared->parsed.queries[i]);
    if (!prepared->parsed.is_array) n["queryType"] = query_type;
    normalized.push_back(std::move(n));
    json::object o;
    for (const auto& [member, dir] : prepared->statements[i]->compiled.order) o[member] = dir;
    order.push_back(std::move(o));
  }
  json::object pivot = PivotQuery(prepared->parsed);
  json::object out{{"queryType", query_type},
                   {"normalizedQueries", std::move(normalized)},
                   {"queryOrder", std::move(order)},
                   {"pivotQuery", std::move(pivot)}};
  respond(JsonResponse(json::serialize(out)));
}

std::optional<policy::Access> App::AccessFor(const Caller& caller) {
  // Dev mode (an unauthenticated principal) is open, like its missing token.
  const auto& policies = caller.tenant.model->policies;
  if (policies == nullptr || !caller.who.authenticated) return std::nullopt;
  return policies->Evaluate(caller.who.security_context);
}

const std::string& App::UnrestrictedMeta(const tenancy::TenantModel& model) {
  absl::call_once(model.meta_once, [&] { model.meta_json = json::serialize(MetaJson(*model.model)); });
  return model.meta_json;
}

void App::Meta(const http::Request& req, const Caller& caller, http::Responder respond) {
  (void)req;
  std::optional<policy::Access> access = AccessFor(caller);
  if (!access) {
    respond(JsonResponse(UnrestrictedMeta(*caller.tenant.model)));
    return;
  }
  // The caller's /meta: cubes they may not use and members they may not see
  // are left out, as if the model did not have them.
  json::value meta = MetaJson(*caller.tenant.model->model);
  json::array& cubes = meta.as_object()["cubes"].as_array();
  json::array visible;
  for (json::value& cube : cubes) {
    std::string name(cube.as_object()["name"].as_string());
    const policy::CubeAccess* ca = access->ForCube(name);
    if (ca != nullptr && ca->denied) continue;
    for (const char* kind : {"measures", "dimensions", "segments"}) {
      json::value* list = cube.as_object().if_contains(kind);
      if (list == nullptr || !list->is_array()) continue;
      json::array kept;
      for (json::value& m : list->as_array()) {
        if (access->MemberVisible(std::string(m.as_object()["name"].as_string()))) kept.push_back(std::move(m));
      }
      *list = std::move(kept);
    }
    visible.push_back(std::move(cube));
  }
  cubes = std::move(visible);
  respond(JsonResponse(json::serialize(meta)));
}

void App::AuditSearch(const http::Request& req, const Caller& caller, http::Responder respond) {
  if (options_.audit_log_path.empty()) {
    Refuse(caller.record.get(), respond, absl::NotFoundError("The audit log is off"), req.request_id);
    return;
  }
  // Reading the files blocks: a worker does it.
  // Where the chain stood when the search began: an anchor for `tessera
  // audit verify --head` (a log cut at a record boundary shows against it).
  audit::ChainPoint head = options_.audit->Health().head;
  workers_.Post([path = options_.audit_log_path, req, tenant = caller.tenant.id, record = caller.record, head,
                 respond = std::move(respond)] {
    absl::StatusOr<std::string> body = SearchAuditLog(path, req, tenant, head);
    if (!body.ok()) {
      Refuse(record.get(), respond, body.status(), req.request_id);
      return;
    }
    respond(JsonResponse(*std::move(body)));
  });
}

void App::Playground(const http::Request& req, const Caller& caller, http::Responder respond) {
  const bool tables = req.path == "/playground/db-schema";
  const bool generate = req.path == "/playground/generate-schema";
  if (!tables && !generate) {
    Refuse(caller.record.get(), respond, absl::NotFoundError("Not Found"), req.request_id);
    return;
  }
  if ((tables && req.method == "POST") || (generate && req.method != "POST")) {
    Refuse(caller.record.get(), respond,
           absl::InvalidArgumentError(tables ? "Use GET for /playground/db-schema"
                                             : "Use POST for /playground/generate-schema"),
           req.request_id);
    return;
  }
  absl::StatusOr<driver::DataSourcePtr> source = tenants_->SourceFor(caller.tenant);
  if (!source.ok()) {
    Refuse(caller.record.get(), respond, source.status(), req.request_id);
    return;
  }
  // Introspection blocks on the database: a worker does it.
  // A malformed request is refused before the database is asked anything.
  std::vector<std::string> chosen;
  if (generate) {
    absl::StatusOr<std::vector<std::string>> parsed = ParseTableChoice(req.body);
    if (!parsed.ok()) {
      Refuse(caller.record.get(), respond, parsed.status(), req.request_id);
      return;
    }
    chosen = *std::move(parsed);
  }
  workers_.Post([source = *std::move(source), chosen = std::move(chosen), generate, request_id = req.request_id,
                 record = caller.record, respond = std::move(respond)] {
    absl::StatusOr<std::vector<driver::TableSchema>> schema = source->Introspect();
    if (!schema.ok()) {
      Refuse(record.get(), respond, schema.status(), request_id);
      return;
    }
    if (!generate) {
      respond(JsonResponse(TablesSchemaJson(*schema)));
      return;
    }
    absl::StatusOr<std::string> files = GenerateSchemaJson(*schema, chosen);
    if (!files.ok()) {
      Refuse(record.get(), respond, files.status(), request_id);
      return;
    }
    respond(JsonResponse(*std::move(files)));
  });
}

void App::Ready(http::Responder respond) {
  // The identity providers' key sets first (no network: their state as last
  // fetched). A provider whose keys are unavailable makes the server not
  // ready: its users could not be served. Why goes to the log, not to this
  // unauthenticated endpoint.
  json::array issuers;
  bool keys_ready = true;
  for (const identity::KeySourceStatus& source : identity_->KeySources()) {
    issuers.push_back(json::object{{"issuer", source.issuer}, {"ready", source.ready}});
    if (!source.ready) {
      keys_ready = false;
      spdlog::warn("readiness: keys of {} not available: {}", LogSafe(source.issuer), LogSafe(source.problem));
    }
  }
  // The audit log: while it cannot store records, data requests are refused
  // (on_failure: refuse), so the server is not ready; with on_failure: warn
  // it serves, and says so here.
  json::object audit;
  bool audit_ready = true;
  if (options_.audit != nullptr) {
    audit::AuditHealth health = options_.audit->Health();
    // (Not the chain's head: how many requests were made is not for an
    // unauthenticated endpoint. Auditors get it from /cubejs-api/v1/audit.)
    audit["ready"] = health.healthy;
    if (!health.healthy) {
      spdlog::warn("readiness: the audit log cannot be written: {}", health.problem);
      audit_ready = !options_.audit_refuses;
    }
  }
  auto answer = [issuers = std::move(issuers), keys_ready, audit = std::move(audit), audit_ready](bool source_ok) {
    bool ready = keys_ready && source_ok && audit_ready;
    json::object body{{"health", ready ? "HEALTH" : "DOWN"}};
    if (!issuers.empty()) body["issuers"] = issuers;
    if (!audit.empty()) body["audit"] = audit;
    return JsonResponse(json::serialize(body), ready ? 200 : 503);
  };
  // Ping on a worker: it blocks while the database is slow or down.
  if (tenants_ == nullptr || tenants_->shared_source() == nullptr) {
    // Every tenant has a database of its own, opened on demand: each
    // request reports its own tenant's problems (503), so the process is ready.
    respond(answer(tenants_ != nullptr));
    return;
  }
  workers_.Post([this, respond = std::move(respond), answer = std::move(answer)] {
    absl::Status s = tenants_->shared_source()->Ping();
    if (!s.ok()) spdlog::warn("readiness check failed: {}", std::string(s.message()));
    respond(answer(s.ok()));
  });
}

}  // namespace tessera::api
