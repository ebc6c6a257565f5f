#include "query/time_dimension_parser.h"

#include <optional>
#include <string>

#include "base/user_error.h"
#include "query/joi_message.h"
#include "query/member_path.h"

namespace tessera::query {
namespace {

std::string_view View(const boost::json::string& s) { return std::string_view(s.data(), s.size()); }

// Cube 1.x's list, in its order (0.27 lacked quarter).
constexpr std::string_view kGranularityChoices =
    "one of [quarter, day, month, year, week, hour, minute, second, null]";

// Joi text for a bad dateRange: both alternatives (array, string) complain.
std::optional<std::string> DateRangeError(const boost::json::value& v) {
  const std::string not_string = joi::MustBe("dateRange", "a string");
  if (v.is_string()) return std::nullopt;
  const boost::json::array* a = v.if_array();
  if (a == nullptr) return joi::MustBe("dateRange", "an array") + ", " + not_string;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string()) {
      return joi::AtPosition("dateRange", i, joi::MustBe(std::to_string(i), "a string")) + ", " +
             not_string;
    }
  }
  if (a->empty()) return joi::Must("dateRange", "contain at least 1 items") + ", " + not_string;
  if (a->size() > 2) {
    return joi::Must("dateRange", "contain less than or equal to 2 items") + ", " + not_string;
  }
  return std::nullopt;
}

// One element; on failure the Joi detail inside `"timeDimensions" at position i`.
std::optional<std::string> ParseOne(const boost::json::value& json, size_t i,
                                    TimeDimensionInput& out, bool& compare_date_range) {
  const boost::json::object* o = json.if_object();
  if (o == nullptr) return joi::MustBe(std::to_string(i), "an object");

  // Keys in the schema's order, as Joi checks them.
  const boost::json::value* dimension = o->if_contains("dimension");
  if (dimension == nullptr) return joi::Child("dimension", "\"dimension\" is required");
  if (!dimension->is_string()) return joi::Child("dimension", joi::MustBe("dimension", "a string"));
  if (!IsMemberPath(View(dimension->get_string()))) {
    return joi::Child("dimension", joi::PatternMismatch("dimension",
                                                        View(dimension->get_string()),
                                                        joi::kIdPattern));
  }
  out.time_dimension.dimension = std::string(View(dimension->get_string()));

  // null means "no granularity", as in Cube's schema.
  if (const boost::json::value* g = o->if_contains("granularity"); g != nullptr && !g->is_null()) {
    absl::StatusOr<Granularity> granularity = absl::InvalidArgumentError("not a string");
    if (g->is_string()) granularity = ParseGranularity(View(g->get_string()));
    if (!granularity.ok()) {
      return joi::Child("granularity", joi::MustBe("granularity", kGranularityChoices));
    }
    out.time_dimension.granularity = *granularity;
  }

  if (const boost::json::value* range = o->if_contains("dateRange")) {
    if (auto error = DateRangeError(*range)) return joi::Child("dateRange", *error);
    out.date_range = range;
  }
  if (const boost::json::value* compare = o->if_contains("compareDateRange")) {
    const boost::json::array* ranges = compare->if_array();
    if (ranges == nullptr || ranges->empty()) {
      return joi::Child("compareDateRange",
                        joi::MustBe("compareDateRange", "a non-empty array of date ranges"));
    }
    for (size_t r = 0; r < ranges->size(); ++r) {
      if (auto error = DateRangeError((*ranges)[r])) {
        return joi::Child("compareDateRange", joi::AtPosition("compareDateRange", r, *error));
      }
    }
    if (o->contains("dateRange")) {
      return joi::Child("compareDateRange", "\"compareDateRange\" conflicts with \"dateRange\"");
    }
    out.compare_date_range = compare;
    compare_date_range = true;
  }

  std::string unknown;
  for (const auto& [key, value] : *o) {
    if (key == "dimension" || key == "granularity" || key == "dateRange" ||
        key == "compareDateRange") {
      continue;
    }
    if (!unknown.empty()) unknown += ", ";
    unknown += joi::NotAllowed(std::string_view(key.data(), key.size()));
  }
  if (!unknown.empty()) return unknown;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::vector<TimeDimensionInput>> ParseTimeDimensions(
    const boost::json::value& json) {
  const boost::json::array* a = json.if_array();
  if (a == nullptr) {
    return joi::InvalidQueryFormat(
        joi::Child("timeDimensions", joi::MustBe("timeDimensions", "an array")));
  }
  std::vector<TimeDimensionInput> out;
  for (size_t i = 0; i < a->size(); ++i) {
    TimeDimensionInput td;
    bool compare_date_range = false;
    if (auto error = ParseOne((*a)[i], i, td, compare_date_range)) {
      return joi::InvalidQueryFormat(
          joi::Child("timeDimensions", joi::AtPosition("timeDimensions", i, *error)));
    }
    (void)compare_date_range;  // expanded into one query per range by ParseRequestValue
    out.push_back(std::move(td));
  }
  return out;
}

}  // namespace tessera::query
