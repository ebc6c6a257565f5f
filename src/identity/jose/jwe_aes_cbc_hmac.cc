// AES_CBC_HMAC_SHA2 (RFC 7518 §5.2): encrypt-then-MAC over AAD || IV ||
// ciphertext || AL, the tag being the first half of the HMAC. On decryption
// the tag is checked (exact length, constant time) before any CBC decryption,
// so padding errors are never observable (no padding oracle).
#include <array>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

constexpr std::size_t kIvBytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The three variants differ only in sizes and hash: key = MAC_KEY || ENC_KEY,
// each half the key; the tag is as long as one half.
struct Variant {
  const char* digest;
  const EVP_CIPHER* cipher;
  std::size_t half;
};

const Variant* VariantForKey(std::size_t key_bytes) {
  static const Variant k128 = {"SHA256", EVP_aes_128_cbc(), 16};
  static const Variant k192 = {"SHA384", EVP_aes_192_cbc(), 24};
  static const Variant k256 = {"SHA512", EVP_aes_256_cbc(), 32};
  switch (key_bytes) {
    case 32: return &k128;
    case 48: return &k192;
    case 64: return &k256;
    default: return nullptr;
  }
}

// HMAC(MAC_KEY, A || IV || E || AL) truncated to `half` bytes.
absl::StatusOr<std::string> ComputeTag(const Variant& v, std::string_view mac_key, std::string_view aad,
                                       std::string_view iv, std::string_view ciphertext) {
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) return absl::InternalError("AES-CBC-HMAC: HMAC unavailable");
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return absl::InternalError("AES-CBC-HMAC: out of memory");
  OSSL_PARAM params[2];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(v.digest), 0);
  params[1] = OSSL_PARAM_construct_end();
  // AL: the AAD length in bits as a 64-bit big-endian integer.
  const std::uint64_t aad_bits = static_cast<std::uint64_t>(aad.size()) * 8;
  std::array<unsigned char, 8> al{};
  for (int i = 0; i < 8; ++i) al[static_cast<std::size_t>(i)] = static_cast<unsigned char>(aad_bits >> (56 - 8 * i));
  if (EVP_MAC_init(ctx.get(), Bytes(mac_key), mac_key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), Bytes(aad), aad.size()) != 1 ||
      EVP_MAC_update(ctx.get(), Bytes(iv), iv.size()) != 1 ||
      EVP_MAC_update(ctx.get(), Bytes(ciphertext), ciphertext.size()) != 1 ||
      EVP_MAC_update(ctx.get(), al.data(), al.size()) != 1) {
    return absl::InternalError("AES-CBC-HMAC: HMAC failed");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> full{};
  std::size_t full_len = 0;
  if (EVP_MAC_final(ctx.get(), full.data(), &full_len, full.size()) != 1 || full_len < v.half) {
    return absl::InternalError("AES-CBC-HMAC: HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(full.data()), v.half);
}

absl::StatusOr<std::string> RunCbc(bool encrypt, const Variant& v, std::string_view enc_key,
                                   std::string_view iv, std::string_view in) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return absl::InternalError("AES-CBC-HMAC: out of memory");
  if (EVP_CipherInit_ex(ctx.get(), v.cipher, nullptr, Bytes(enc_key), Bytes(iv), encrypt ? 1 : 0) != 1) {
    return absl::InternalError("AES-CBC-HMAC: init failed");
  }
  // PKCS#7 padding (EVP's default) adds at most one block.
  std::string out(in.size() + 16, '\0');
  int len = 0;
  if (!in.empty() && EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, Bytes(in),
                                      static_cast<int>(in.size())) != 1) {
    return absl::InvalidArgumentError("AES-CBC-HMAC: CBC failed");
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &final_len) != 1) {
    return absl::InvalidArgumentError("AES-CBC-HMAC: CBC failed");
  }
  out.resize(static_cast<std::size_t>(len + final_len));
  return out;
}

}  // namespace

absl::StatusOr<Sealed> AesCbcHmacEncrypt(std::string_view key, std::string_view iv, std::string_view aad,
                                         std::string_view plaintext) {
  const Variant* v = VariantForKey(key.size());
  if (v == nullptr) return absl::InvalidArgumentError("AES-CBC-HMAC: key must be 32, 48 or 64 bytes");
  if (iv.size() != kIvBytes) return absl::InvalidArgumentError("AES-CBC-HMAC: IV must be 16 bytes");
  const std::string_view mac_key = key.substr(0, v->half);
  const std::string_view enc_key = key.substr(v->half);
  auto ciphertext = RunCbc(true, *v, enc_key, iv, plaintext);
  if (!ciphertext.ok()) return ciphertext.status();
  auto tag = ComputeTag(*v, mac_key, aad, iv, *ciphertext);
  if (!tag.ok()) return tag.status();
  Sealed sealed;
  sealed.ciphertext = std::move(*ciphertext);
  sealed.tag = std::move(*tag);
  return sealed;
}

absl::StatusOr<std::string> AesCbcHmacDecrypt(std::string_view key, std::string_view iv,
                                              std::string_view aad, std::string_view ciphertext,
                                              std::string_view tag) {
  const Variant* v = VariantForKey(key.size());
  if (v == nullptr) return absl::InvalidArgumentError("AES-CBC-HMAC: key must be 32, 48 or 64 bytes");
  if (iv.size() != kIvBytes) return absl::InvalidArgumentError("AES-CBC-HMAC: IV must be 16 bytes");
  // A truncated (or extended) tag is not a shorter MAC to compare: it is invalid.
  if (tag.size() != v->half) return absl::InvalidArgumentError("AES-CBC-HMAC: wrong tag length");
  const std::string_view mac_key = key.substr(0, v->half);
  const std::string_view enc_key = key.substr(v->half);
  auto expected = ComputeTag(*v, mac_key, aad, iv, ciphertext);
  if (!expected.ok()) return expected.status();
  if (!ConstantTimeEquals(*expected, tag)) {
    return absl::InvalidArgumentError("AES-CBC-HMAC: authentication failed");
  }
  return RunCbc(false, *v, enc_key, iv, ciphertext);
}

}  // namespace tessera::identity::jose::crypto
