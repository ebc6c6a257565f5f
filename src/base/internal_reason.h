#pragma once
// Why a request was refused, as the server knows it, beside the message the
// client is told. A refused token tells the client only "Invalid token"
// (saying more helps an attacker), but the audit log records the real cause
// ("signature does not verify", "kid x is not in the key set"). The reason
// travels with the status as a payload, so the stages keep returning plain
// absl::Status values.
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace tessera {

// `status` with `reason` attached (replacing any reason it had).
absl::Status WithInternalReason(absl::Status status, std::string_view reason);

// The attached reason, or the status's own message when none is attached.
std::string InternalReason(const absl::Status& status);

}  // namespace tessera
