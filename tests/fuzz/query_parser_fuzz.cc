// libFuzzer target for the query stage: JSON text -> ParseQueryText, and for
// queries that parse, the echo (NormalizedJson) and ValidateQuery against a
// small fixed model. Every input must end in a value or an error status:
// no crash, no sanitizer report, no exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "model/compiled_model.h"
#include "query/normalize.h"
#include "query/parse.h"
#include "query/validate.h"

namespace {

using namespace tessera;

model::CompiledModel MakeModel() {
  model::Cube orders;
  orders.name = "Orders";
  model::Measure count;
  count.name = "count";
  orders.measures.push_back(count);
  model::Measure total;
  total.name = "total";
  total.type = model::MeasureType::kSum;
  orders.measures.push_back(total);
  for (auto [name, type] : {std::pair{"status", model::DimensionType::kString},
                            std::pair{"amount", model::DimensionType::kNumber},
                            std::pair{"createdAt", model::DimensionType::kTime}}) {
    model::Dimension d;
    d.name = name;
    d.type = type;
    orders.dimensions.push_back(d);
  }
  model::Segment completed;
  completed.name = "completed";
  orders.segments.push_back(completed);
  std::vector<model::Cube> cubes;
  cubes.push_back(std::move(orders));
  return model::CompiledModel(std::move(cubes));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const model::CompiledModel model = MakeModel();
  query::ParseOptions options;
  options.now = absl::FromCivil(absl::CivilSecond(2024, 3, 10, 8, 30, 0), absl::UTCTimeZone());
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = query::ParseQueryText(text, options);
  if (!request.ok()) return 0;
  for (const query::Query& q : request->queries) {
    std::string echo = boost::json::serialize(query::NormalizedJson(q));
    (void)echo;
    (void)query::ValidateQuery(q, model);
  }
  return 0;
}
