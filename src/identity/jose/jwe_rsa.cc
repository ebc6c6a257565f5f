// RSA key transport of the CEK (RFC 7518 §4.2 RSA1_5, §4.3 RSA-OAEP and
// RSA-OAEP-256; MGF1 uses the same hash as OAEP, as the RFC requires).
#include <memory>

#include "absl/status/status.h"
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

absl::Status ConfigurePadding(EVP_PKEY_CTX* ctx, RsaPadding padding) {
  if (padding == RsaPadding::kPkcs1v15) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
               ? absl::OkStatus()
               : absl::InternalError("RSA: padding setup failed");
  }
  const EVP_MD* md = padding == RsaPadding::kOaepSha256 ? EVP_sha256() : EVP_sha1();
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) != 1) {
    return absl::InternalError("RSA: OAEP setup failed");
  }
  return absl::OkStatus();
}

bool IsRsa(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1; }

}  // namespace

absl::StatusOr<std::string> RsaEncryptKey(EVP_PKEY* public_key, RsaPadding padding, std::string_view cek) {
  if (!IsRsa(public_key)) return absl::InvalidArgumentError("RSA: not an RSA key");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, public_key, nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1) return absl::InternalError("RSA: init failed");
  if (absl::Status s = ConfigurePadding(ctx.get(), padding); !s.ok()) return s;
  const auto* in = reinterpret_cast<const unsigned char*>(cek.data());
  std::size_t out_len = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &out_len, in, cek.size()) != 1) {
    return absl::InternalError("RSA: encryption failed");
  }
  std::string out(out_len, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len, in, cek.size()) != 1) {
    return absl::InvalidArgumentError("RSA: encryption failed");
  }
  out.resize(out_len);
  return out;
}

absl::StatusOr<std::string> RsaDecryptKey(EVP_PKEY* private_key, RsaPadding padding,
                                          std::string_view encrypted_key, std::size_t expected_cek_bytes) {
  if (!IsRsa(private_key)) return absl::InvalidArgumentError("RSA: not an RSA key");
  if (padding == RsaPadding::kPkcs1v15 && expected_cek_bytes == 0) {
    return absl::InvalidArgumentError("RSA1_5: the expected CEK size is required");
  }
  // The random substitute is drawn before decrypting so that the work done is
  // the same whether the padding turns out valid or not.
  const std::string substitute = padding == RsaPadding::kPkcs1v15 ? RandomBytes(expected_cek_bytes) : std::string();

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key, nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1) return absl::InternalError("RSA: init failed");
  if (absl::Status s = ConfigurePadding(ctx.get(), padding); !s.ok()) return s;
  const auto* in = reinterpret_cast<const unsigned char*>(encrypted_key.data());
  std::string out(static_cast<std::size_t>(EVP_PKEY_get_size(private_key)), '\0');
  std::size_t out_len = out.size();
  const int rc = EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len, in,
                                  encrypted_key.size());

  if (padding != RsaPadding::kPkcs1v15) {
    if (rc != 1) return absl::InvalidArgumentError("RSA-OAEP: decryption failed");
    out.resize(out_len);
    // OAEP failures are not an oracle the way PKCS#1 v1.5 ones are, but a CEK
    // of the wrong size is still refused here.
    if (expected_cek_bytes != 0 && out.size() != expected_cek_bytes) {
      return absl::InvalidArgumentError("RSA-OAEP: wrong CEK size");
    }
    return out;
  }

  // RFC 7516 §11.5 / RFC 3218: never reveal whether PKCS#1 v1.5 padding was
  // valid. Select, without a data-dependent branch, the decrypted CEK when the
  // padding was valid and of the right size, else the random one; the content
  // decryption then fails exactly as for a wrong key.
  ERR_clear_error();
  const unsigned char good = static_cast<unsigned char>(
      static_cast<unsigned>(rc == 1) & static_cast<unsigned>(out_len == expected_cek_bytes));
  const unsigned char mask = static_cast<unsigned char>(0u - good);  // 0xff or 0x00
  std::string cek(expected_cek_bytes, '\0');
  for (std::size_t i = 0; i < expected_cek_bytes; ++i) {
    const auto decrypted = i < out.size() ? static_cast<unsigned char>(out[i]) : 0u;
    const auto random = static_cast<unsigned char>(substitute[i]);
    cek[i] = static_cast<char>((decrypted & mask) | (random & static_cast<unsigned char>(~mask)));
  }
  OPENSSL_cleanse(out.data(), out.size());
  return cek;
}

}  // namespace tessera::identity::jose::crypto
