#pragma once
// The `order` key: {"Cube.member": "asc"|"desc", ...} or
// [["Cube.member", "asc"|"desc"], ...]. Errors carry Joi's text for an
// alternatives schema (both alternatives' complaints, in order).
#include <vector>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "query/query.h"

namespace tessera::query {

struct ParsedOrder {
  std::vector<OrderItem> items;
  bool as_object = false;
};

absl::StatusOr<ParsedOrder> ParseOrder(const boost::json::value& json);

}  // namespace tessera::query
