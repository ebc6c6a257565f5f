#pragma once
// A value that is a reference to the security context, as access policies and
// query rewrite rules write it: "{ securityContext.a.b }" or
// "{SECURITY_CONTEXT.a.b}". Only a whole value can be a reference: a claim is
// a value, never a piece of one, so it can only ever become a bound parameter.
#include <optional>
#include <string>
#include <string_view>

namespace tessera::model {

// The dotted path ("a.b") of a reference; nullopt for anything else.
std::optional<std::string> ContextPath(std::string_view text);

// Whether `text` mentions the security context at all (a reference that is
// not a whole value is an error, not a literal).
bool MentionsContext(std::string_view text);

}  // namespace tessera::model
