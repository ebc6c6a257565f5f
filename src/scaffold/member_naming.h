#pragma once
// Names for generated cubes and members: database identifiers (snake_case,
// anything really) turned into the identifiers Cube models use.
#include <string>
#include <string_view>

namespace tessera::scaffold {

// "line_items" -> "LineItems", "orders" -> "Orders".
std::string PascalCase(std::string_view identifier);

// "created_at" -> "createdAt", "USER_ID" -> "userId", "createdAt" stays.
std::string CamelCase(std::string_view identifier);

// True when `name` can be written in SQL without quotes on both SQLite and
// PostgreSQL: lower-case letters, digits and '_', not starting with a digit.
// (PostgreSQL folds unquoted names to lower case, so "Orders" needs quotes.)
bool IsPlainSqlIdentifier(std::string_view name);

// `name` as a double-quoted SQL identifier when it is not plain.
std::string SqlIdentifier(std::string_view name);

}  // namespace tessera::scaffold
