// Strict base64url: one byte string has exactly one accepted encoding, so a
// token cannot be altered (padding, whitespace, non-zero trailing bits) without
// its signature input changing too.
#include "identity/jose/base64url.h"

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tessera::identity::jose {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

absl::StatusOr<std::string> DecodeBase64Url(std::string_view text) {
  // A length of 1 mod 4 cannot come from any byte string.
  if (text.size() % 4 == 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("base64url text of length ", text.size(), " is not a valid length"));
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int acc_bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int8_t v = kDecode[c];
    if (v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("base64url text has invalid character code ", static_cast<int>(c),
                       " at offset ", i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    acc_bits += 6;
    if (acc_bits >= 8) {
      acc_bits -= 8;
      out.push_back(static_cast<char>((acc >> acc_bits) & 0xFF));
    }
  }
  // Leftover bits (2 or 4) must be zero: otherwise two texts decode to the same bytes.
  if (acc_bits > 0 && (acc & ((1u << acc_bits) - 1)) != 0) {
    return absl::InvalidArgumentError("base64url text has non-zero trailing bits");
  }
  return out;
}

std::string EncodeBase64Url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t acc = 0;
  int acc_bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    acc_bits += 8;
    while (acc_bits >= 6) {
      acc_bits -= 6;
      out.push_back(kAlphabet[(acc >> acc_bits) & 0x3F]);
    }
  }
  if (acc_bits > 0) out.push_back(kAlphabet[(acc << (6 - acc_bits)) & 0x3F]);
  return out;
}

}  // namespace tessera::identity::jose
