// Feeds arbitrary bytes to the model loader as one YAML file. The loader must
// never crash, hang, leak or let an exception escape; errors are values.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <boost/json.hpp>

#include "model/compiled_model.h"
#include "policy/access_policies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::map<std::string, std::string> files = {
      {"fuzz.yml", std::string(reinterpret_cast<const char*>(data), size)}};
  tessera::model::LoadResult result = tessera::model::LoadModelFiles(files);
  // Exactly one of the two holds, whatever the input.
  if ((result.model == nullptr) == result.errors.empty()) __builtin_trap();
  for (const tessera::model::ModelError& e : result.errors) (void)e.ToString();
  // Access policies are part of the model: compile them and evaluate them
  // for a caller with and without the claims they may name.
  if (result.model != nullptr) {
    auto policies = tessera::policy::CompiledPolicies::Compile(*result.model, "role");
    if (policies.ok()) {
      static const boost::json::value kContexts[] = {
          boost::json::object(),
          boost::json::parse(R"({"role":["admin","x"],"tenant_id":"t1","active":true,"list":[1,"a"]})")};
      for (const auto& context : kContexts) (void)(*policies)->Evaluate(context);
    }
  }
  return 0;
}
