#pragma once
// Base64url (RFC 4648 §5) as JOSE uses it (RFC 7515 §2): no padding, no
// whitespace, no characters outside the alphabet, and canonical trailing bits
// (unused low bits of the last character must be zero), so that one byte
// string has exactly one encoding and a token cannot be altered without
// changing its bytes.
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace tessera::identity::jose {

absl::StatusOr<std::string> DecodeBase64Url(std::string_view text);
std::string EncodeBase64Url(std::string_view bytes);

}  // namespace tessera::identity::jose
