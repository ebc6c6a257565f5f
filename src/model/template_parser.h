#pragma once
// Splits a SQL snippet from the model into SqlParts once, at load time, so
// later stages never scan SQL strings for references, and a security context
// value can only ever become a bound parameter.
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "model/sql_template.h"

namespace tessera::model {

// Recognised forms, all in braces:
//   {CUBE} {TABLE}                          -> kCubeAlias
//   {member} {CUBE.member} {Cube.member}    -> kMember (cube always filled in)
//   {securityContext.a.b} {SECURITY_CONTEXT.a.b} -> kContextValue "a.b"
// `{{` stands for a literal `{`. Anything else in braces is an error; existence
// of the referenced cube and member is checked later, once all files are read.
absl::StatusOr<SqlTemplate> ParseSqlTemplate(absl::string_view source, absl::string_view own_cube);

// True for SQL that is just a column name (`amount`), which Cube qualifies
// with the cube alias for measures and dimensions.
bool IsBareColumn(absl::string_view sql);

// The template for a bare column: [{CUBE}, ".amount"], with `source` as written.
SqlTemplate BareColumnTemplate(absl::string_view column);

// True if `s` matches ^[a-zA-Z_][a-zA-Z0-9_]*$ (names of cubes and members).
bool IsIdentifier(absl::string_view s);

}  // namespace tessera::model
