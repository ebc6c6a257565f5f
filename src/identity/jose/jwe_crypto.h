#pragma once
// The cryptographic primitives under JWE, on OpenSSL 3 EVP, working on bytes
// only (no JSON, no JWK parsing) so they can be checked against the RFCs' own
// examples: AES Key Wrap (RFC 3394), AES-GCM, AES-CBC + HMAC-SHA2 (RFC 7518
// §5.2), the Concat KDF of ECDH-ES (RFC 7518 §4.6.2, NIST SP 800-56A), PBES2
// key derivation (RFC 7518 §4.8), RSA-OAEP(-256)/RSA1_5 key transport, and
// raw DEFLATE (RFC 1951) with an output cap.
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include <openssl/evp.h>

namespace tessera::identity::jose::crypto {

absl::StatusOr<std::string> AesKeyWrap(std::string_view kek, std::string_view key);
absl::StatusOr<std::string> AesKeyUnwrap(std::string_view kek, std::string_view wrapped);

struct Sealed {
  std::string ciphertext;
  std::string tag;
};
absl::StatusOr<Sealed> AesGcmEncrypt(std::string_view key, std::string_view iv,
                                     std::string_view aad, std::string_view plaintext);
absl::StatusOr<std::string> AesGcmDecrypt(std::string_view key, std::string_view iv,
                                          std::string_view aad, std::string_view ciphertext,
                                          std::string_view tag);

// key = MAC_KEY || ENC_KEY (32, 48 or 64 bytes).
absl::StatusOr<Sealed> AesCbcHmacEncrypt(std::string_view key, std::string_view iv,
                                         std::string_view aad, std::string_view plaintext);
absl::StatusOr<std::string> AesCbcHmacDecrypt(std::string_view key, std::string_view iv,
                                              std::string_view aad, std::string_view ciphertext,
                                              std::string_view tag);

// ECDH shared secret Z between a private key and a peer public key of the same curve.
absl::StatusOr<std::string> EcdhSharedSecret(EVP_PKEY* private_key, EVP_PKEY* peer_public_key);
// Concat KDF with SHA-256; algorithm_id is "enc" for ECDH-ES, else the "alg" value.
absl::StatusOr<std::string> ConcatKdf(std::string_view z, std::string_view algorithm_id,
                                      std::string_view apu, std::string_view apv,
                                      std::size_t key_bytes);

absl::StatusOr<std::string> Pbes2DeriveKey(std::string_view password, std::string_view alg_name,
                                           std::string_view p2s, int iterations,
                                           std::size_t key_bytes);

enum class RsaPadding { kOaepSha1, kOaepSha256, kPkcs1v15 };
absl::StatusOr<std::string> RsaEncryptKey(EVP_PKEY* public_key, RsaPadding padding,
                                          std::string_view cek);
// For kPkcs1v15 the caller passes the expected CEK size: on any padding failure a
// random CEK of that size is returned (RFC 7516 §11.5, Bleichenbacher).
absl::StatusOr<std::string> RsaDecryptKey(EVP_PKEY* private_key, RsaPadding padding,
                                          std::string_view encrypted_key,
                                          std::size_t expected_cek_bytes);

absl::StatusOr<std::string> Inflate(std::string_view deflated, std::size_t max_output_bytes);
absl::StatusOr<std::string> Deflate(std::string_view data);

std::string RandomBytes(std::size_t n);
// The 32-byte SHA-256 digest (token cache keys, claim fingerprints, thumbprints).
std::string Sha256(std::string_view data);
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace tessera::identity::jose::crypto
