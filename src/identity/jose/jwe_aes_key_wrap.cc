// AES Key Wrap (RFC 3394, default IV A6A6A6A6A6A6A6A6) as used by A*KW,
// ECDH-ES+A*KW and PBES2-*+A*KW (RFC 7518 §4.4). OpenSSL's wrap mode checks the
// integrity register on unwrap, so a wrong KEK or a modified wrapped key fails
// here rather than producing a wrong CEK.
#include <memory>

#include "absl/status/status.h"
#include <openssl/evp.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const EVP_CIPHER* WrapCipherForKek(std::size_t kek_bytes) {
  switch (kek_bytes) {
    case 16: return EVP_aes_128_wrap();
    case 24: return EVP_aes_192_wrap();
    case 32: return EVP_aes_256_wrap();
    default: return nullptr;
  }
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

absl::StatusOr<std::string> RunWrap(bool encrypt, std::string_view kek, std::string_view in) {
  const EVP_CIPHER* cipher = WrapCipherForKek(kek.size());
  if (cipher == nullptr) return absl::InvalidArgumentError("AES key wrap: KEK must be 16, 24 or 32 bytes");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return absl::InternalError("AES key wrap: out of memory");
  // OpenSSL refuses wrap modes through EVP unless the caller opts in (the
  // modes do not fit the streaming EVP contract).
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, Bytes(kek), nullptr, encrypt ? 1 : 0) != 1) {
    return absl::InternalError("AES key wrap: init failed");
  }
  // Wrapping adds one 8-byte block; unwrapping removes it.
  std::string out(in.size() + 8, '\0');
  int out_len = 0;
  if (EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len, Bytes(in),
                       static_cast<int>(in.size())) != 1 ||
      out_len < 0) {
    return absl::InvalidArgumentError(encrypt ? "AES key wrap failed" : "AES key unwrap failed");
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + out_len,
                         &final_len) != 1) {
    return absl::InvalidArgumentError(encrypt ? "AES key wrap failed" : "AES key unwrap failed");
  }
  out.resize(static_cast<std::size_t>(out_len + final_len));
  return out;
}

}  // namespace

absl::StatusOr<std::string> AesKeyWrap(std::string_view kek, std::string_view key) {
  // RFC 3394 §2: at least two 64-bit blocks of key data.
  if (key.size() < 16 || key.size() % 8 != 0) {
    return absl::InvalidArgumentError("AES key wrap: key data must be a multiple of 8 bytes, at least 16");
  }
  return RunWrap(true, kek, key);
}

absl::StatusOr<std::string> AesKeyUnwrap(std::string_view kek, std::string_view wrapped) {
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0) {
    return absl::InvalidArgumentError("AES key unwrap: wrapped key must be a multiple of 8 bytes, at least 24");
  }
  return RunWrap(false, kek, wrapped);
}

}  // namespace tessera::identity::jose::crypto
