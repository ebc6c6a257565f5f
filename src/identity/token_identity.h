#pragma once
// The IdentityStage used outside dev mode: every request must carry a token
// in Authorization (raw, as Cube's clients send it, or "Bearer <token>").
// Clients learn only "Authorization header isn't set" or "Invalid token" —
// one body for every cause, so the API is no oracle for forgers; the cause
// goes to the server log with the request id.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "identity/identity_stage.h"
#include "identity/token_policy.h"

namespace tessera::identity {

inline constexpr std::string_view kNoAuthorizationMessage = "Authorization header isn't set";
inline constexpr std::string_view kInvalidTokenMessage = "Invalid token";

// The token in an Authorization header value: "Bearer <token>" (scheme
// case-insensitive, RFC 7235 §2.1) or the bare token. nullopt when empty.
std::optional<std::string_view> TokenFromAuthorization(std::string_view header_value);

// Seconds since the epoch; tests pass a fixed clock.
using Clock = std::function<int64_t()>;
int64_t SystemSeconds();

std::unique_ptr<IdentityStage> MakeTokenIdentity(TokenPolicy policy, Clock clock = SystemSeconds);

}  // namespace tessera::identity
