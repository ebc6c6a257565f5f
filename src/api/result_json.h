#pragma once
// Cube's JSON shapes built from the compiled query and database rows: the
// `data` rows, the `annotation`, and the /meta description of the model.
#include <string>

#include <boost/json/object.hpp>

#include "driver/result_set.h"
#include "model/compiled_model.h"
#include "query/query.h"
#include "sql/compiled_query.h"

namespace tessera::api {

// `data`: one object per row, keyed by member ("Orders.status"), with time
// dimensions also under "Orders.createdAt.month". Serialised JSON text.
// `blending_key` ("time.month"), when not empty, repeats the first time
// dimension bucket under that key, as Cube does for blended (multi) queries.
// `compare_label` ("<from> - <to>"), when not empty, is added to every row
// as "compareDateRange" (Cube's compareDateRangeQuery).
std::string DataJson(const sql::CompiledQuery& compiled, const driver::ResultSet& rows,
                     const std::string& blending_key = "", const std::string& compare_label = "");

boost::json::object Annotation(const sql::CompiledQuery& compiled, const query::Query& q,
                               const model::CompiledModel& model);

// GET /meta: public cubes and members.
boost::json::object MetaJson(const model::CompiledModel& model);

// "2024-01-01 10:20:30.5" or "2024-01-01T10:20:30" -> "2024-01-01T10:20:30.500".
std::string FormatTimestamp(std::string_view text);

}  // namespace tessera::api
