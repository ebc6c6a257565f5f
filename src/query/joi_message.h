#pragma once
// Cube validates a query with a Joi (v15) schema and answers with Joi's
// error text: `Invalid query format: child "limit" fails because ["limit"
// must be larger than or equal to 1]`. Clients and their tests see these
// strings, so the shape checks in parse.cc build the same text with these
// helpers instead of inventing new wording.
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace tessera::query::joi {

// child "key" fails because [inner]
std::string Child(std::string_view key, std::string_view inner);
// "label" at position i fails because [inner]
std::string AtPosition(std::string_view label, size_t position, std::string_view inner);
// "label" must be <what>      (an array, a string, a boolean, ...)
std::string MustBe(std::string_view label, std::string_view what);
// "label" must <rule>         (contain at least 1 items, ...)
std::string Must(std::string_view label, std::string_view rule);
// "label" with value "value" fails to match the required pattern: /.../
std::string PatternMismatch(std::string_view label, std::string_view value,
                            std::string_view pattern);
// "key" is not allowed
std::string NotAllowed(std::string_view key);

// The pattern texts of Cube's member-path schemas, as Joi prints them.
inline constexpr std::string_view kIdPattern = "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+$/";
inline constexpr std::string_view kDimensionWithTimePattern =
    "/^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+(\\.(second|minute|hour|day|week|month|quarter|year))?$/";

// UserError("Invalid query format: " + message)
absl::Status InvalidQueryFormat(std::string_view message);

}  // namespace tessera::query::joi
