#pragma once
// The JSON that JOSE objects carry (protected headers, JWT claims, JWKs) is
// parsed strictly (RFC 7515 §4, RFC 8725 §3.10): valid UTF-8 only (also inside
// escapes: lone surrogates are refused), no duplicate member names at any
// depth, bounded depth, and nothing after the value.
#include <string_view>

#include "absl/status/statusor.h"
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace tessera::identity::jose {

inline constexpr int kMaxJsonDepth = 32;

absl::StatusOr<boost::json::value> ParseStrictJson(std::string_view text);
// As above, and the top-level value must be an object.
absl::StatusOr<boost::json::object> ParseStrictJsonObject(std::string_view text);

}  // namespace tessera::identity::jose
