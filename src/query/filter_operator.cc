#include "query/filter_operator.h"

#include <utility>

namespace tessera::query {
namespace {

constexpr std::pair<std::string_view, FilterOperator> kOperators[] = {
    {"equals", FilterOperator::kEquals},
    {"notEquals", FilterOperator::kNotEquals},
    {"contains", FilterOperator::kContains},
    {"notContains", FilterOperator::kNotContains},
    {"startsWith", FilterOperator::kStartsWith},
    {"notStartsWith", FilterOperator::kNotStartsWith},
    {"endsWith", FilterOperator::kEndsWith},
    {"notEndsWith", FilterOperator::kNotEndsWith},
    {"gt", FilterOperator::kGt},
    {"gte", FilterOperator::kGte},
    {"lt", FilterOperator::kLt},
    {"lte", FilterOperator::kLte},
    {"set", FilterOperator::kSet},
    {"notSet", FilterOperator::kNotSet},
    {"inDateRange", FilterOperator::kInDateRange},
    {"notInDateRange", FilterOperator::kNotInDateRange},
    {"beforeDate", FilterOperator::kBeforeDate},
    {"beforeOrOnDate", FilterOperator::kBeforeOrOnDate},
    {"afterDate", FilterOperator::kAfterDate},
    {"afterOrOnDate", FilterOperator::kAfterOrOnDate},
    {"measureFilter", FilterOperator::kMeasureFilter},
    {"in", FilterOperator::kIn},
    {"notIn", FilterOperator::kNotIn},
    {"onTheDate", FilterOperator::kOnTheDate},
};

}  // namespace

// Names are case-sensitive, as in Cube's schema ("Equals" is unknown).
std::optional<FilterOperator> ParseFilterOperator(std::string_view name) {
  for (const auto& [n, op] : kOperators) {
    if (n == name) return op;
  }
  return std::nullopt;
}

std::string_view FilterOperatorName(FilterOperator op) {
  for (const auto& [n, o] : kOperators) {
    if (o == op) return n;
  }
  return "equals";
}

ValueArity ArityOf(FilterOperator op) {
  switch (op) {
    case FilterOperator::kSet:
    case FilterOperator::kNotSet:
    case FilterOperator::kMeasureFilter:
      return ValueArity::kNone;
    case FilterOperator::kGt:
    case FilterOperator::kGte:
    case FilterOperator::kLt:
    case FilterOperator::kLte:
    case FilterOperator::kBeforeDate:
    case FilterOperator::kBeforeOrOnDate:
    case FilterOperator::kAfterDate:
    case FilterOperator::kAfterOrOnDate:
      return ValueArity::kOne;
    case FilterOperator::kInDateRange:
    case FilterOperator::kNotInDateRange:
      return ValueArity::kTwo;
    default:
      return ValueArity::kAtLeastOne;
  }
}

bool IsDateOperator(FilterOperator op) {
  switch (op) {
    case FilterOperator::kInDateRange:
    case FilterOperator::kNotInDateRange:
    case FilterOperator::kOnTheDate:
    case FilterOperator::kBeforeDate:
    case FilterOperator::kBeforeOrOnDate:
    case FilterOperator::kAfterDate:
    case FilterOperator::kAfterOrOnDate:
      return true;
    default:
      return false;
  }
}

}  // namespace tessera::query
