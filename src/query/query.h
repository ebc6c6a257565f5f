#pragma once
// A Cube REST query after parsing: plain data, checked for shape but not yet
// against the model (see query/validate.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/civil_time.h"

namespace tessera::query {

enum class FilterOperator {
  kEquals, kNotEquals, kContains, kNotContains, kStartsWith, kNotStartsWith,
  kEndsWith, kNotEndsWith, kGt, kGte, kLt, kLte, kSet, kNotSet,
  kInDateRange, kNotInDateRange, kBeforeDate, kBeforeOrOnDate, kAfterDate, kAfterOrOnDate,
  kMeasureFilter,  // Cube's legacy operator: applies a measure's own filters; no values
  // Cube 0.27's older spellings, still sent by old clients: in = equals with
  // several values, notIn = notEquals, onTheDate = inDateRange.
  kIn, kNotIn, kOnTheDate
};
std::optional<FilterOperator> ParseFilterOperator(std::string_view name);
std::string_view FilterOperatorName(FilterOperator op);

// A filter on one member. Values arrive as JSON strings, numbers or booleans;
// they are kept as text (null for JSON null) and typed by the SQL compiler
// from the member's type.
struct MemberFilter {
  std::string member;  // "Cube.member"
  FilterOperator op = FilterOperator::kEquals;
  std::vector<std::optional<std::string>> values;
};

// A node of the filter tree: either a leaf or an and/or group.
struct FilterNode {
  enum class Kind { kLeaf, kAnd, kOr };
  Kind kind = Kind::kLeaf;
  MemberFilter leaf;               // when kind == kLeaf
  std::vector<FilterNode> children;  // when kind is kAnd / kOr
};

// An inclusive range of local wall-clock times in the query's time zone, as
// Cube normalises it: ["2024-01-01T00:00:00.000", "2024-01-31T23:59:59.999"].
struct DateRange {
  LocalTime from;
  LocalTime to;
};

struct TimeDimension {
  std::string dimension;
  std::optional<Granularity> granularity;
  std::optional<DateRange> date_range;
  // compareDateRange before expansion (ParseRequestValue turns a query with
  // it into one query per range, each with date_range set).
  std::vector<DateRange> compare_date_ranges;
};

struct OrderItem {
  std::string member;
  bool desc = false;
};

struct Query {
  std::vector<std::string> measures;
  std::vector<std::string> dimensions;
  std::vector<std::string> segments;
  std::vector<TimeDimension> time_dimensions;
  std::vector<FilterNode> filters;  // combined with AND
  // nullopt: the client gave no order, and Cube's default order applies
  // (first time dimension with granularity asc, else first measure desc, else
  // first dimension asc). An explicit empty list means no ORDER BY.
  std::optional<std::vector<OrderItem>> order;
  bool order_given_as_object = false;  // keeps the normalised echo faithful
  // The parser always sets the effective row limit (the client's, or
  // ParseOptions.default_limit), so later stages need no default of their
  // own; nullopt only in queries built in code, meaning "the default".
  std::optional<int64_t> limit;
  int64_t offset = 0;
  bool total = false;
  bool ungrouped = false;
  bool renew_query = false;
  std::string timezone = "UTC";
  // The top-level keys as the client sent them, in order. Cube echoes the
  // query back as {...clientQuery, <normalised keys>}, so the echo's key
  // order depends on the client's; empty for queries built in code.
  std::vector<std::string> given_keys;
};

}  // namespace tessera::query
