#pragma once
// Cube is JavaScript: filter values that arrive as JSON numbers become text
// the way String(n) prints them (1.5 -> "1.5", 1e21 -> "1e+21"), and error
// messages quote filters the way JSON.stringify does. Boost.JSON prints
// doubles differently ("1.5E0"), hence these two.
#include <string>

#include <boost/json/value.hpp>

namespace tessera::query {

// ECMAScript Number::toString(10).
std::string JsNumberToString(double value);

// JSON.stringify for a parsed value (compact, keys in their given order,
// numbers as JsNumberToString). Recursion is bounded by the parser's depth
// limit.
std::string JsStringify(const boost::json::value& value);

}  // namespace tessera::query
