#include "model/member_types.h"

#include <array>
#include <utility>

namespace tessera::model {

namespace {

struct MeasureSpelling {
  absl::string_view name;
  MeasureType type;
};

// The first spelling of each type is its canonical name.
constexpr std::array<MeasureSpelling, 13> kMeasureTypes = {{
    {"count", MeasureType::kCount},
    {"count_distinct", MeasureType::kCountDistinct},
    {"count_distinct_approx", MeasureType::kCountDistinctApprox},
    {"sum", MeasureType::kSum},
    {"avg", MeasureType::kAvg},
    {"min", MeasureType::kMin},
    {"max", MeasureType::kMax},
    {"number", MeasureType::kNumber},
    {"string", MeasureType::kString},
    {"time", MeasureType::kTime},
    {"boolean", MeasureType::kBoolean},
    {"countDistinct", MeasureType::kCountDistinct},
    {"countDistinctApprox", MeasureType::kCountDistinctApprox},
}};

}  // namespace

std::optional<MeasureType> ParseMeasureType(absl::string_view s) {
  for (const auto& spelling : kMeasureTypes) {
    if (spelling.name == s) return spelling.type;
  }
  return std::nullopt;
}

absl::string_view MeasureTypeName(MeasureType t) {
  for (const auto& spelling : kMeasureTypes) {
    if (spelling.type == t) return spelling.name;
  }
  return "?";
}

std::optional<DimensionType> ParseDimensionType(absl::string_view s) {
  if (s == "string") return DimensionType::kString;
  if (s == "number") return DimensionType::kNumber;
  if (s == "time") return DimensionType::kTime;
  if (s == "boolean") return DimensionType::kBoolean;
  return std::nullopt;
}

std::optional<Relationship> ParseRelationship(absl::string_view s) {
  static constexpr std::array<std::pair<absl::string_view, Relationship>, 12> kSpellings = {{
      {"many_to_one", Relationship::kManyToOne},
      {"manyToOne", Relationship::kManyToOne},
      {"belongs_to", Relationship::kManyToOne},
      {"belongsTo", Relationship::kManyToOne},
      {"one_to_many", Relationship::kOneToMany},
      {"oneToMany", Relationship::kOneToMany},
      {"has_many", Relationship::kOneToMany},
      {"hasMany", Relationship::kOneToMany},
      {"one_to_one", Relationship::kOneToOne},
      {"oneToOne", Relationship::kOneToOne},
      {"has_one", Relationship::kOneToOne},
      {"hasOne", Relationship::kOneToOne},
  }};
  for (const auto& [name, relationship] : kSpellings) {
    if (name == s) return relationship;
  }
  return std::nullopt;
}

bool MeasureNeedsSql(MeasureType t) { return t != MeasureType::kCount; }

bool MeasureAggregates(MeasureType t) {
  switch (t) {
    case MeasureType::kCount:
    case MeasureType::kCountDistinct:
    case MeasureType::kCountDistinctApprox:
    case MeasureType::kSum:
    case MeasureType::kAvg:
    case MeasureType::kMin:
    case MeasureType::kMax:
      return true;
    case MeasureType::kNumber:
    case MeasureType::kString:
    case MeasureType::kTime:
    case MeasureType::kBoolean:
      return false;
  }
  return false;
}

std::string_view DimensionTypeName(DimensionType t) {
  switch (t) {
    case DimensionType::kString: return "string";
    case DimensionType::kNumber: return "number";
    case DimensionType::kTime: return "time";
    case DimensionType::kBoolean: return "boolean";
  }
  return "string";
}

}  // namespace tessera::model
