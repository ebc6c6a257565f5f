// JSON -> Query, in the order Cube checks a query: the schema (Joi) in its
// key order, unknown keys, the "empty query" rule, the filters' values; then
// Tessera's own checks (time zone, date ranges).
#include "query/parse.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <string>

#include "base/user_error.h"
#include "query/filter_parser.h"
#include "query/joi_message.h"
#include "query/json_text.h"
#include "query/member_path.h"
#include "query/order_parser.h"
#include "query/time_dimension_parser.h"

namespace tessera::query {
namespace {

std::string_view View(const boost::json::string& s) { return std::string_view(s.data(), s.size()); }

// The keys Cube's schema allows, in its order; `total` is Cube 1.x's.
constexpr std::string_view kKnownKeys[] = {
    "measures", "dimensions", "filters", "timeDimensions", "order", "segments", "timezone",
    "limit",    "offset",     "renewQuery", "ungrouped",  "total"};

bool IsKnownKey(std::string_view key) {
  for (std::string_view k : kKnownKeys) {
    if (k == key) return true;
  }
  return false;
}

// An array of member paths (`measures`, `segments`, and `dimensions` with
// its optional granularity suffix).
absl::Status ParseMemberList(const boost::json::value& json, std::string_view key,
                             bool allow_granularity, std::vector<std::string>& out) {
  const boost::json::array* a = json.if_array();
  if (a == nullptr) return joi::InvalidQueryFormat(joi::Child(key, joi::MustBe(key, "an array")));
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string label = std::to_string(i);
    const boost::json::value& item = (*a)[i];
    std::string detail;
    if (!item.is_string()) {
      detail = joi::MustBe(label, "a string");
    } else {
      std::string_view path = View(item.get_string());
      if (IsMemberPath(path) || (allow_granularity && SplitGranularitySuffix(path))) {
        out.emplace_back(path);
        continue;
      }
      detail = joi::PatternMismatch(
          label, path, allow_granularity ? joi::kDimensionWithTimePattern : joi::kIdPattern);
    }
    return joi::InvalidQueryFormat(joi::Child(key, joi::AtPosition(key, i, detail)));
  }
  return absl::OkStatus();
}

// Joi.number(): JSON numbers, and strings that read as numbers (Joi
// converts them).
std::optional<double> AsNumber(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::int64: return static_cast<double>(v.get_int64());
    case boost::json::kind::uint64: return static_cast<double>(v.get_uint64());
    case boost::json::kind::double_: return v.get_double();
    case boost::json::kind::string: {
      std::string_view s = View(v.get_string());
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      double d = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
      return d;
    }
    default: return std::nullopt;
  }
}

// Joi.number().integer().min(min)[.max(max)]
absl::StatusOr<int64_t> ParseInteger(const boost::json::value& v, std::string_view key,
                                     int64_t min, std::optional<int64_t> max) {
  std::optional<double> d = AsNumber(v);
  auto fail = [&](std::string_view what) {
    return joi::InvalidQueryFormat(joi::Child(key, joi::MustBe(key, what)));
  };
  if (!d || !std::isfinite(*d)) return fail("a number");
  if (std::floor(*d) != *d) return fail("an integer");
  if (*d < static_cast<double>(min)) {
    return fail("larger than or equal to " + std::to_string(min));
  }
  if (max && *d > static_cast<double>(*max)) return fail("less than or equal to " + std::to_string(*max));
  // Joi refuses integers a double cannot hold exactly; that also keeps the
  // value inside int64.
  if (*d > 9007199254740991.0) return fail("a safe number");
  if (v.is_int64()) return v.get_int64();
  return static_cast<int64_t>(*d);
}

// Joi.boolean(): true/false, and the strings "true"/"false" in any case.
absl::StatusOr<bool> ParseBoolean(const boost::json::value& v, std::string_view key) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string()) {
    std::string s(View(v.get_string()));
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return joi::InvalidQueryFormat(joi::Child(key, joi::MustBe(key, "a boolean")));
}

}  // namespace

absl::StatusOr<Query> ParseQueryValue(const boost::json::value& value, const ParseOptions& options) {
  const boost::json::object* o = value.if_object();
  if (o == nullptr) return joi::InvalidQueryFormat(joi::MustBe("value", "an object"));

  Query q;
  for (const auto& [key, _] : *o) q.given_keys.emplace_back(key.data(), key.size());

  // 1. The schema, key by key in its order.
  std::vector<std::string> dimensions;
  if (const auto* v = o->if_contains("measures")) {
    absl::Status s = ParseMemberList(*v, "measures", false, q.measures);
    if (!s.ok()) return s;
  }
  if (const auto* v = o->if_contains("dimensions")) {
    absl::Status s = ParseMemberList(*v, "dimensions", true, dimensions);
    if (!s.ok()) return s;
  }
  std::vector<FilterNode> filters;
  const boost::json::array* filter_json = nullptr;
  if (const auto* v = o->if_contains("filters")) {
    filter_json = v->if_array();
    if (filter_json == nullptr) {
      return joi::InvalidQueryFormat(joi::Child("filters", joi::MustBe("filters", "an array")));
    }
    for (size_t i = 0; i < filter_json->size(); ++i) {
      std::optional<FilterNode> node = MatchFilter((*filter_json)[i]);
      if (!node) {
        return joi::InvalidQueryFormat(joi::Child(
            "filters", "\"filters\" at position " + std::to_string(i) +
                           " does not match any of the allowed types"));
      }
      filters.push_back(std::move(*node));
    }
  }
  std::vector<TimeDimensionInput> time_dimensions;
  if (const auto* v = o->if_contains("timeDimensions")) {
    auto parsed = ParseTimeDimensions(*v);
    if (!parsed.ok()) return parsed.status();
    time_dimensions = std::move(*parsed);
  }
  if (const auto* v = o->if_contains("order")) {
    auto parsed = ParseOrder(*v);
    if (!parsed.ok()) return parsed.status();
    q.order = std::move(parsed->items);
    q.order_given_as_object = parsed->as_object;
  }
  if (const auto* v = o->if_contains("segments")) {
    absl::Status s = ParseMemberList(*v, "segments", false, q.segments);
    if (!s.ok()) return s;
  }
  if (const auto* v = o->if_contains("timezone")) {
    if (!v->is_string()) {
      return joi::InvalidQueryFormat(joi::Child("timezone", joi::MustBe("timezone", "a string")));
    }
    q.timezone = std::string(View(v->get_string()));
  }
  q.limit = options.default_limit;
  if (const auto* v = o->if_contains("limit")) {
    auto limit = ParseInteger(*v, "limit", 1, options.max_limit);
    if (!limit.ok()) return limit.status();
    q.limit = *limit;
  }
  if (const auto* v = o->if_contains("offset")) {
    auto offset = ParseInteger(*v, "offset", 0, std::nullopt);
    if (!offset.ok()) return offset.status();
    q.offset = *offset;
  }
  for (auto [key, field] : {std::pair<std::string_view, bool*>{"renewQuery", &q.renew_query},
                            {"ungrouped", &q.ungrouped},
                            {"total", &q.total}}) {
    if (const auto* v = o->if_contains(key)) {
      auto flag = ParseBoolean(*v, key);
      if (!flag.ok()) return flag.status();
      *field = *flag;
    }
  }

  // 2. Keys the schema does not know; Joi lists them all.
  std::string unknown;
  for (const std::string& key : q.given_keys) {
    if (IsKnownKey(key)) continue;
    if (!unknown.empty()) unknown += ". ";
    unknown += joi::NotAllowed(key);
  }
  if (!unknown.empty()) return joi::InvalidQueryFormat(unknown);

  // 3. Something to select.
  bool has_granularity = false;
  for (const auto& td : time_dimensions) has_granularity |= td.time_dimension.granularity.has_value();
  if (q.measures.empty() && dimensions.empty() && !has_granularity) {
    return UserError(
        "Query should contain either measures, dimensions or timeDimensions with granularities "
        "in order to be valid");
  }

  // 4. Tessera: a zone the database and the date arithmetic can use.
  absl::StatusOr<absl::TimeZone> zone = LoadZone(q.timezone);
  if (!zone.ok()) return UserError("Invalid timezone: " + q.timezone);

  // 5. The filters' values.
  for (size_t i = 0; i < filters.size(); ++i) {
    absl::Status s = CheckFilterValues((*filter_json)[i], filters[i], *zone);
    if (!s.ok()) return s;
  }
  q.filters = std::move(filters);

  // 6. Date ranges, in the query's zone.
  for (auto& td : time_dimensions) {
    if (td.date_range != nullptr) {
      auto range = ResolveDateRange(*td.date_range, *zone, options.now);
      if (!range.ok()) return range.status();
      td.time_dimension.date_range = *range;
    }
    if (td.compare_date_range != nullptr) {
      for (const auto& r : td.compare_date_range->get_array()) {
        auto range = ResolveDateRange(r, *zone, options.now);
        if (!range.ok()) return range.status();
        td.time_dimension.compare_date_ranges.push_back(*range);
      }
    }
    q.time_dimensions.push_back(std::move(td.time_dimension));
  }
  // "Orders.createdAt.month" in dimensions is a time dimension, listed
  // after the explicit ones (as Cube normalises it).
  for (const std::string& d : dimensions) {
    if (auto split = SplitGranularitySuffix(d)) {
      TimeDimension td;
      td.dimension = std::string(split->dimension);
      td.granularity = split->granularity;
      q.time_dimensions.push_back(std::move(td));
    } else {
      q.dimensions.push_back(d);
    }
  }
  return q;
}

absl::StatusOr<ParsedRequest> ParseRequestValue(const boost::json::value& value,
                                                const ParseOptions& options) {
  ParsedRequest request;
  const boost::json::array* queries = value.if_array();
  if (queries == nullptr) {
    auto q = ParseQueryValue(value, options);
    if (!q.ok()) return q.status();
    // compareDateRange: Cube answers one query per range.
    for (size_t i = 0; i < q->time_dimensions.size(); ++i) {
      std::vector<DateRange> ranges = std::move(q->time_dimensions[i].compare_date_ranges);
      if (ranges.empty()) continue;
      q->time_dimensions[i].compare_date_ranges.clear();
      request.compare_date_range = true;
      for (const DateRange& r : ranges) {
        Query one = *q;
        one.time_dimensions[i].date_range = r;
        request.queries.push_back(std::move(one));
      }
      return request;
    }
    request.queries.push_back(std::move(*q));
    return request;
  }
  // An array is Cube's data blending query: the queries are joined on their
  // first time dimension, so their granularities must agree.
  request.is_array = true;
  std::set<Granularity> granularities;
  for (const auto& item : *queries) {
    auto q = ParseQueryValue(item, options);
    if (!q.ok()) return q.status();
    for (const auto& td : q->time_dimensions) {
      if (!td.compare_date_ranges.empty()) {
        return UserError("compareDateRange cannot be used in a data blending query");
      }
    }
    if (!q->time_dimensions.empty() && q->time_dimensions.front().granularity) {
      granularities.insert(*q->time_dimensions.front().granularity);
    }
    request.queries.push_back(std::move(*q));
  }
  if (granularities.size() > 1) return UserError("Data blending query granularities must match");
  if (granularities.empty()) {
    return UserError("Data blending query without granularity is not supported");
  }
  return request;
}

absl::StatusOr<ParsedRequest> ParseQueryText(std::string_view json, const ParseOptions& options) {
  // Cube's words for a missing parameter (the client library sends the
  // text "undefined" when it has no query).
  if (json.empty() || json == "undefined") return UserError("query param is required");
  absl::StatusOr<boost::json::value> value = ParseJsonText(json);
  if (!value.ok()) return value.status();
  return ParseRequestValue(*value, options);
}

}  // namespace tessera::query
