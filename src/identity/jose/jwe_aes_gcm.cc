// AES-GCM (RFC 7518 §5.3 for content, §4.7 for A*GCMKW key wrapping). JOSE
// fixes the IV at 96 bits and the tag at 128 bits; anything else is refused
// before OpenSSL sees it, so a truncated tag can never be accepted.
#include <memory>

#include "absl/status/status.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

constexpr std::size_t kIvBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const EVP_CIPHER* GcmCipher(std::size_t key_bytes) {
  switch (key_bytes) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return nullptr;
  }
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::Status CheckSizes(std::string_view key, std::string_view iv) {
  if (GcmCipher(key.size()) == nullptr) return absl::InvalidArgumentError("AES-GCM: key must be 16, 24 or 32 bytes");
  if (iv.size() != kIvBytes) return absl::InvalidArgumentError("AES-GCM: IV must be 12 bytes");
  return absl::OkStatus();
}

// Common setup: cipher, 12-byte IV (the default length, set explicitly so a
// future change of default cannot silently alter it), key, and the AAD.
absl::StatusOr<CipherCtxPtr> Start(bool encrypt, std::string_view key, std::string_view iv,
                                   std::string_view aad) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return absl::InternalError("AES-GCM: out of memory");
  if (EVP_CipherInit_ex(ctx.get(), GcmCipher(key.size()), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kIvBytes), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, Bytes(key), Bytes(iv), encrypt ? 1 : 0) != 1) {
    return absl::InternalError("AES-GCM: init failed");
  }
  if (!aad.empty()) {
    int ignored = 0;
    if (EVP_CipherUpdate(ctx.get(), nullptr, &ignored, Bytes(aad), static_cast<int>(aad.size())) != 1) {
      return absl::InternalError("AES-GCM: AAD failed");
    }
  }
  return ctx;
}

}  // namespace

absl::StatusOr<Sealed> AesGcmEncrypt(std::string_view key, std::string_view iv, std::string_view aad,
                                     std::string_view plaintext) {
  if (absl::Status s = CheckSizes(key, iv); !s.ok()) return s;
  auto ctx = Start(true, key, iv, aad);
  if (!ctx.ok()) return ctx.status();
  Sealed sealed;
  sealed.ciphertext.resize(plaintext.size());
  int len = 0;
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx->get(), reinterpret_cast<unsigned char*>(sealed.ciphertext.data()), &len,
                        Bytes(plaintext), static_cast<int>(plaintext.size())) != 1) {
    return absl::InternalError("AES-GCM: encryption failed");
  }
  int final_len = 0;
  unsigned char scratch[16];
  if (EVP_EncryptFinal_ex(ctx->get(), scratch, &final_len) != 1) {
    return absl::InternalError("AES-GCM: encryption failed");
  }
  sealed.tag.resize(kTagBytes);
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          sealed.tag.data()) != 1) {
    return absl::InternalError("AES-GCM: tag failed");
  }
  return sealed;
}

absl::StatusOr<std::string> AesGcmDecrypt(std::string_view key, std::string_view iv,
                                          std::string_view aad, std::string_view ciphertext,
                                          std::string_view tag) {
  if (absl::Status s = CheckSizes(key, iv); !s.ok()) return s;
  // OpenSSL would accept a shorter tag and compare only that prefix.
  if (tag.size() != kTagBytes) return absl::InvalidArgumentError("AES-GCM: tag must be 16 bytes");
  auto ctx = Start(false, key, iv, aad);
  if (!ctx.ok()) return ctx.status();
  std::string plaintext(ciphertext.size(), '\0');
  int len = 0;
  if (!ciphertext.empty() &&
      EVP_DecryptUpdate(ctx->get(), reinterpret_cast<unsigned char*>(plaintext.data()), &len,
                        Bytes(ciphertext), static_cast<int>(ciphertext.size())) != 1) {
    return absl::InvalidArgumentError("AES-GCM: decryption failed");
  }
  std::string tag_copy(tag);  // the ctrl API takes a non-const pointer
  if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          tag_copy.data()) != 1) {
    return absl::InternalError("AES-GCM: tag failed");
  }
  int final_len = 0;
  unsigned char scratch[16];
  if (EVP_DecryptFinal_ex(ctx->get(), scratch, &final_len) != 1) {
    // Release nothing of an unauthenticated plaintext.
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return absl::InvalidArgumentError("AES-GCM: authentication failed");
  }
  return plaintext;
}

}  // namespace tessera::identity::jose::crypto
