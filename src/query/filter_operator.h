#pragma once
// How many values each filter operator takes, so the parser can reject a
// filter that could never compile to sensible SQL.
#include "query/query.h"

namespace tessera::query {

enum class ValueArity {
  kNone,       // set, notSet, measureFilter: values absent or empty
  kOne,        // gt, gte, lt, lte, beforeDate, ...
  kTwo,        // inDateRange, notInDateRange
  kAtLeastOne  // equals, contains, ...
};

ValueArity ArityOf(FilterOperator op);

// inDateRange, notInDateRange, beforeDate, beforeOrOnDate, afterDate,
// afterOrOnDate: their values are dates, and they apply to time dimensions.
bool IsDateOperator(FilterOperator op);

}  // namespace tessera::query
