#pragma once
// REST filters -> SQL conditions with bound values, following the SQL Cube
// generates for each operator (including its NULL handling: notEquals and
// notContains also match NULL unless a null value is listed).
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

#include "model/compiled_model.h"
#include "query/query.h"
#include "sql/dialect.h"
#include "sql/param_list.h"

namespace tessera::sql {

// What a filter needs to know about the member it filters.
struct FilterTarget {
  std::string sql;  // the member's SQL expression (an aggregate for measures)
  enum class Type { kString, kNumber, kTime, kBoolean } type = Type::kString;
};

class FilterRenderer {
 public:
  FilterRenderer(const Dialect& dialect, ParamList& params, const absl::TimeZone& zone)
      : dialect_(dialect), params_(params), zone_(zone) {}

  absl::StatusOr<std::string> Render(const query::MemberFilter& f, const FilterTarget& target);

  // `expr` between two local times of the query's zone, inclusive.
  std::string DateRange(const std::string& expr, const LocalTime& from, const LocalTime& to);

 private:
  absl::StatusOr<std::string> ValueParam(const std::string& value, FilterTarget::Type type,
                                         const std::string& member);
  std::string TimestampParam(const LocalTime& local, bool lower_bound);
  absl::StatusOr<LocalTime> DateValue(const std::string& value, bool end_of_day);

  const Dialect& dialect_;
  ParamList& params_;
  absl::TimeZone zone_;
};

}  // namespace tessera::sql
