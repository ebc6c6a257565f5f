// Feeds arbitrary bytes to the readers of tessera.yaml: the settings reader,
// the `query_rewrite:`, `tenancy:` and `issuers:` readers, then compiles the rules against
// a small model and evaluates them for callers with and without claims.
// Nothing may crash, hang, leak or throw; errors are values.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/json.hpp>

#include "config/config_file.h"
#include "identity/issuer_config.h"
#include "model/compiled_model.h"
#include "policy/query_rewrite.h"
#include "tenancy/tenancy_config.h"

namespace {

const tessera::model::CompiledModel& Model() {
  static const tessera::model::CompiledModelPtr* model = [] {
    auto loaded = tessera::model::LoadModelFiles({{"m.yml", R"(cubes:
  - name: Orders
    sql_table: orders
    joins:
      - name: Users
        sql: "{CUBE}.user_id = {Users}.id"
        relationship: many_to_one
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: tenant_id
        sql: tenant_id
        type: string
      - name: status
        sql: status
        type: string
      - name: created_at
        sql: created_at
        type: time
  - name: Users
    sql_table: users
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: tenant_id
        sql: tenant_id
        type: string
)"}});
    if (!loaded.model) __builtin_trap();
    return new tessera::model::CompiledModelPtr(loaded.model);
  }();
  return **model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tessera::config::ReadConfigFile(text, "tessera.yaml");
  (void)tessera::identity::ReadIssuerConfigs(text, "tessera.yaml");
  auto tenancy = tessera::tenancy::ReadTenancyConfig(text, "tessera.yaml");
  if (tenancy.ok() && *tenancy) {
    (void)tessera::tenancy::ExpandTenant((*tenancy)->model_overlay, "t1");
  }
  auto rules = tessera::policy::ReadRewriteRules(text, "tessera.yaml");
  if (!rules.ok()) return 0;
  auto compiled = tessera::policy::CompiledRewrite::Compile(*rules, Model(), "role");
  if (!compiled.ok()) return 0;
  static const boost::json::value kContexts[] = {
      boost::json::object(),
      boost::json::parse(R"({"role":["admin","x"],"tenant_id":"t1","active":true,"list":[1,"a"]})")};
  for (const auto& context : kContexts) {
    tessera::policy::Rewrite rewrite = (*compiled)->Evaluate(context);
    tessera::query::Query q;
    q.measures = {"Orders.count"};
    std::set<std::string> filtered;
    (void)rewrite.AddFilters({"Orders", "Users"}, filtered, q);
    (void)rewrite.CheckRequired({"Orders", "Users"}, q);
  }
  return 0;
}
