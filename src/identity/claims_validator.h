#pragma once
// RFC 7519 §4.1 claim checks on a verified payload: registered claims must have
// their registered types, exp/nbf/iat are compared with the clock allowing the
// configured leeway, and iss/aud/sub must match the configuration when it sets
// them. Messages are for the server log.
#include <cstdint>

#include "absl/status/status.h"
#include <boost/json/object.hpp>

#include "identity/token_policy.h"

namespace tessera::identity {

absl::Status ValidateClaims(const boost::json::object& claims, const ClaimRules& rules,
                            int64_t now_seconds);

}  // namespace tessera::identity
