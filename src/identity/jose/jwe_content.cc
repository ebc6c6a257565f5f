// Content encryption by "enc" (RFC 7518 §5): sizes and dispatch to AES-GCM or
// AES-CBC-HMAC-SHA2. IV and tag sizes are checked here against the algorithm,
// not taken from the token.
#include "absl/status/status.h"

#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwe_internal.h"

namespace tessera::identity::jose::jwe_internal {
namespace {

bool IsGcm(ContentEncryption enc) {
  return enc == ContentEncryption::kA128GCM || enc == ContentEncryption::kA192GCM ||
         enc == ContentEncryption::kA256GCM;
}

}  // namespace

absl::Status DecryptionFailed() { return absl::InvalidArgumentError("JWE decryption failed"); }

// KEK (or PBKDF2 / Concat KDF output) size of the key-wrapping algorithms.
std::size_t WrapKeyBytes(Algorithm alg) {
  switch (alg) {
    case Algorithm::kA128KW: case Algorithm::kA128GCMKW: case Algorithm::kEcdhEsA128KW:
    case Algorithm::kPbes2Hs256A128KW:
      return 16;
    case Algorithm::kA192KW: case Algorithm::kA192GCMKW: case Algorithm::kEcdhEsA192KW:
    case Algorithm::kPbes2Hs384A192KW:
      return 24;
    case Algorithm::kA256KW: case Algorithm::kA256GCMKW: case Algorithm::kEcdhEsA256KW:
    case Algorithm::kPbes2Hs512A256KW:
      return 32;
    default:
      return 0;
  }
}

std::size_t CekBytes(ContentEncryption enc) {
  switch (enc) {
    case ContentEncryption::kA128GCM: return 16;
    case ContentEncryption::kA192GCM: return 24;
    case ContentEncryption::kA256GCM: return 32;
    case ContentEncryption::kA128CbcHs256: return 32;
    case ContentEncryption::kA192CbcHs384: return 48;
    case ContentEncryption::kA256CbcHs512: return 64;
  }
  return 0;
}

std::size_t IvBytes(ContentEncryption enc) { return IsGcm(enc) ? 12 : 16; }

std::size_t TagBytes(ContentEncryption enc) { return IsGcm(enc) ? 16 : CekBytes(enc) / 2; }

absl::StatusOr<SealedContent> EncryptContent(ContentEncryption enc, std::string_view cek, std::string_view aad,
                                             std::string_view plaintext) {
  if (cek.size() != CekBytes(enc)) return absl::InternalError("CEK size does not match enc");
  SealedContent out;
  out.iv = crypto::RandomBytes(IvBytes(enc));
  absl::StatusOr<crypto::Sealed> sealed = IsGcm(enc) ? crypto::AesGcmEncrypt(cek, out.iv, aad, plaintext)
                                                     : crypto::AesCbcHmacEncrypt(cek, out.iv, aad, plaintext);
  if (!sealed.ok()) return sealed.status();
  out.ciphertext = std::move(sealed->ciphertext);
  out.tag = std::move(sealed->tag);
  return out;
}

absl::StatusOr<std::string> DecryptContent(ContentEncryption enc, std::string_view cek, std::string_view iv,
                                           std::string_view aad, std::string_view ciphertext,
                                           std::string_view tag) {
  if (cek.size() != CekBytes(enc) || iv.size() != IvBytes(enc) || tag.size() != TagBytes(enc)) {
    return DecryptionFailed();
  }
  absl::StatusOr<std::string> plaintext = IsGcm(enc) ? crypto::AesGcmDecrypt(cek, iv, aad, ciphertext, tag)
                                                     : crypto::AesCbcHmacDecrypt(cek, iv, aad, ciphertext, tag);
  if (!plaintext.ok()) return DecryptionFailed();
  return plaintext;
}

}  // namespace tessera::identity::jose::jwe_internal
