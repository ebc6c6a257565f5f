#pragma once
// Turns introspected tables into cube drafts the way Cube's schema generator
// does (see scaffold_rules.h), with two differences that make the output
// more useful: joins come from declared foreign keys rather than from
// guessing by column name, and boolean columns are `boolean` dimensions.
#include <functional>
#include <vector>

#include "scaffold/cube_draft.h"
#include "driver/data_source.h"

namespace tessera::scaffold {

// True when a join to this table's cube may be written (its cube is being
// generated now or its file already exists); otherwise the join would name a
// cube the model does not have, and is left as a note instead.
using JoinablePredicate = std::function<bool(const driver::TableSchema&)>;

// One draft per table, in the order given. Foreign keys are resolved against
// `tables`, so pass every table of the database, not only those to write.
std::vector<CubeDraft> ScaffoldCubes(const std::vector<driver::TableSchema>& tables,
                                     const JoinablePredicate& joinable);

// The file stem and display name for a table: the table name in the default
// schema ("public" / "main"), "schema_table" / "schema.table" elsewhere.
std::string TableFileStem(const driver::TableSchema& table);
std::string TableDisplayName(const driver::TableSchema& table);

}  // namespace tessera::scaffold
