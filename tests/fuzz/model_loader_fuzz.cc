// Feeds arbitrary bytes to the model loader as one YAML file. The loader must
// never crash, hang, leak or let an exception escape; errors are values.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "model/compiled_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::map<std::string, std::string> files = {
      {"fuzz.yml", std::string(reinterpret_cast<const char*>(data), size)}};
  tessera::model::LoadResult result = tessera::model::LoadModelFiles(files);
  // Exactly one of the two holds, whatever the input.
  if ((result.model == nullptr) == result.errors.empty()) __builtin_trap();
  for (const tessera::model::ModelError& e : result.errors) (void)e.ToString();
  return 0;
}
