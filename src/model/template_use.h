#pragma once
// A record of one SQL template (or drill-member list) read from the model,
// with the references it makes and where it was written. References can name
// cubes from files not read yet, so they are resolved only after every file
// is loaded (reference_checker.h), and the records keep the source line the
// final SqlTemplate no longer carries.
#include <optional>
#include <string>
#include <vector>

#include "model/compiled_model.h"

namespace tessera::model {

enum class TemplateRole {
  kCubeSql,
  kRefreshKeySql,
  kJoinSql,
  kMeasureSql,
  kMeasureFilter,
  kDrillMembers,
  kDimensionSql,
  kCaseWhen,
  kSegmentSql,
};

struct MemberRef {
  std::string cube;
  std::string member;
};

struct TemplateUse {
  SourceLocation location;
  std::string owner_cube;
  std::string owner_member;  // empty for cube-level SQL and joins
  TemplateRole role = TemplateRole::kCubeSql;
  std::optional<MeasureType> measure_type;  // for kMeasureSql
  std::vector<MemberRef> refs;
};

// The member references in `t`, in order.
std::vector<MemberRef> MemberRefsOf(const SqlTemplate& t);

}  // namespace tessera::model
