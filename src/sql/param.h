#pragma once
// A bound parameter. Every value that comes from a request (filter values,
// date bounds, time zones, security-context claims) reaches the database as
// one of these, never as SQL text.
#include <string>
#include <vector>

namespace tessera::sql {

struct Param {
  enum class Type {
    kText,
    kInteger,    // text holds a decimal integer, e.g. "42"
    kReal,       // text holds a decimal number, e.g. "4.5"
    kTimestamp,  // text holds a UTC instant "2024-01-01 05:00:00.000" (SQLite form)
    kNull
  };
  Type type = Type::kText;
  std::string text;

  friend bool operator==(const Param&, const Param&) = default;
};

using Params = std::vector<Param>;

}  // namespace tessera::sql
