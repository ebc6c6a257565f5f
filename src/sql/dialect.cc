#include "sql/dialect.h"

namespace tessera::sql {

std::string Dialect::QuoteIdentifier(std::string_view id) const {
  // Both SQLite and PostgreSQL quote with double quotes and escape an
  // embedded quote by doubling it, so any model name is safe as an identifier.
  std::string out;
  out.reserve(id.size() + 2);
  out.push_back('"');
  for (char c : id) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace tessera::sql
