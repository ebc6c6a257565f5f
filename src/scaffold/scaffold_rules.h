#pragma once
// The judgement calls of `tessera generate-model`, after Cube's schema
// generator (ScaffoldingSchema): which SQL types are which member types,
// which numeric columns become `sum` measures, and which columns are worth
// drilling into from `count`.
#include <string_view>

namespace tessera::scaffold {

enum class ColumnKind { kString, kNumber, kTime, kBoolean };

// From the type as the database names it ("integer", "varchar(20)",
// "timestamp with time zone", "numeric(10,2)", "boolean"). Unknown types
// (uuid, json, SQLite's untyped columns) are strings.
ColumnKind ClassifySqlType(std::string_view sql_type);

std::string_view ColumnKindName(ColumnKind kind);  // "string", "number", ...

// Cube's measure dictionary: a numeric column whose name ends in amount,
// price, total, cost, quantity, ... and is not an id is summed, not grouped by.
bool LooksLikeMeasureColumn(std::string_view column_name);

// Ids, names, titles, places and creation times: what someone drilling into
// a count wants to see first.
bool LooksLikeDrillColumn(std::string_view column_name);

}  // namespace tessera::scaffold
