#pragma once
// The compiler's output: one SQL statement with its bound parameters, and
// what each result column means, so the API can shape Cube's JSON rows.
#include <optional>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "model/compiled_model.h"
#include "sql/param.h"

namespace tessera::sql {

struct OutputColumn {
  enum class Kind { kMeasure, kDimension, kTimeDimension };
  Kind kind = Kind::kDimension;
  std::string alias;       // the SQL column alias, e.g. orders__created_at_month
  std::string member;      // "Orders.createdAt"
  std::optional<Granularity> granularity;  // time dimensions only
  const model::Cube* cube = nullptr;
  const model::Measure* measure = nullptr;      // kMeasure
  const model::Dimension* dimension = nullptr;  // kDimension / kTimeDimension

  // The keys this column fills in each row: "Orders.createdAt.month" and the
  // legacy "Orders.createdAt" for a time dimension, else just the member.
  std::vector<std::string> RowKeys() const;
};

struct CompiledQuery {
  std::string sql;
  Params params;
  std::vector<OutputColumn> columns;
  // SELECT count(*) over the same rows without limit/offset, when the query
  // asked for `total`.
  std::optional<std::string> total_sql;
  Params total_params;
  // Member -> "asc"/"desc", in ORDER BY order (Cube's /sql "order").
  std::vector<std::pair<std::string, std::string>> order;
  // Every cube the FROM clause reads (the join tree's root and joined cubes),
  // so access policies can check that none escaped their row filters.
  std::vector<std::string> cubes;
  // A measure grouped in a de-duplicating subquery (a one_to_many join would
  // have multiplied its rows).
  bool has_multiplied_measures = false;
};

}  // namespace tessera::sql
