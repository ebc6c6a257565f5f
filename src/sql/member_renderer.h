#pragma once
// Turns model SQL templates into SQL text for one query: {CUBE} becomes the
// cube's alias, member references expand to their own SQL, and security
// context values become bound parameters (never text).
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

#include "model/compiled_model.h"
#include "sql/dialect.h"
#include "sql/param_list.h"

namespace tessera::sql {

class MemberRenderer {
 public:
  // `security_context` may be null (dev mode without a token): a template
  // that needs a context value is then an error for that request.
  MemberRenderer(const model::CompiledModel& model, const Dialect& dialect, ParamList& params,
                 const boost::json::value* security_context, bool ungrouped = false);

  std::string CubeAlias(const model::Cube& cube) const;
  // "orders AS \"orders\"" for sql_table, "(SELECT ...) AS \"orders\"" for sql.
  absl::StatusOr<std::string> CubeFrom(const model::Cube& cube);

  absl::StatusOr<std::string> Template(const model::Cube& cube, const model::SqlTemplate& t);
  absl::StatusOr<std::string> DimensionSql(const model::Cube& cube, const model::Dimension& d);
  // The measure's aggregate (or, ungrouped, its per-row value).
  absl::StatusOr<std::string> MeasureSql(const model::Cube& cube, const model::Measure& m);
  // The AND of a measure's `filters`, or empty when it has none.
  absl::StatusOr<std::string> MeasureFilterSql(const model::Cube& cube, const model::Measure& m);

  // Cubes whose aliases the member's SQL refers to, besides its own
  // (a dimension written over {Users.city} needs Users joined).
  void CollectReferencedCubes(const model::Cube& cube, const model::SqlTemplate& t,
                              std::set<std::string>& out) const;

 private:
  absl::StatusOr<std::string> PrimaryKeySql(const model::Cube& cube);
  absl::StatusOr<std::string> ContextParam(const std::string& path);

  const model::CompiledModel& model_;
  const Dialect& dialect_;
  ParamList& params_;
  const boost::json::value* context_;
  bool ungrouped_;
  int depth_ = 0;  // guards against reference cycles the loader missed
};

}  // namespace tessera::sql
