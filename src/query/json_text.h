#pragma once
// Parsing the `query` parameter's JSON text. Malformed text is the client's
// mistake (400, with the position), never a crash: nesting is bounded so a
// hostile "[[[[..." cannot exhaust the stack of the recursive stages.
#include <string_view>

#include "absl/status/statusor.h"
#include <boost/json/value.hpp>

namespace tessera::query {

// Deeper than any real query (filters nest and/or groups a handful deep).
inline constexpr int kMaxJsonDepth = 64;

absl::StatusOr<boost::json::value> ParseJsonText(std::string_view text);

}  // namespace tessera::query
