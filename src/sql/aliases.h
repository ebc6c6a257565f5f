#pragma once
// Cube's naming of SQL aliases: a cube "LineItems" is aliased "line_items";
// member "Orders.createdAt" becomes column "orders__created_at", and with a
// granularity "orders__created_at_month".
#include <string>
#include <string_view>

namespace tessera::sql {

// "createdAt" -> "created_at", "LineItems" -> "line_items".
std::string Underscore(std::string_view name);
std::string MemberAlias(std::string_view cube, std::string_view member);

}  // namespace tessera::sql
