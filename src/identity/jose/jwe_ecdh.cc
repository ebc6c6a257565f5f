// ECDH-ES key agreement (RFC 7518 §4.6, RFC 8037 §3.2): the raw shared secret
// Z and the Concat KDF (NIST SP 800-56A §5.8.1, single-step, SHA-256) that
// turns it into a key.
#include <array>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "identity/jose/jwe_crypto.h"

namespace tessera::identity::jose::crypto {
namespace {

struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

void AppendBigEndian32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// Datalen || Data, the length-prefixed form of the fixed-info fields (RFC 7518 §4.6.2).
void AppendPrefixed(std::string& out, std::string_view data) {
  AppendBigEndian32(out, static_cast<std::uint32_t>(data.size()));
  out.append(data);
}

}  // namespace

absl::StatusOr<std::string> EcdhSharedSecret(EVP_PKEY* private_key, EVP_PKEY* peer_public_key) {
  if (private_key == nullptr || peer_public_key == nullptr) {
    return absl::InvalidArgumentError("ECDH: missing key");
  }
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key, nullptr));
  if (!ctx) return absl::InternalError("ECDH: out of memory");
  // set_peer_ex with validation on: the peer must be of the same type and
  // curve and pass the public-key check (point on the curve, not infinity),
  // the defence against invalid-curve attacks.
  if (EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer_ex(ctx.get(), peer_public_key, 1) != 1) {
    return absl::InvalidArgumentError("ECDH: peer key rejected");
  }
  std::size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1 || len == 0) {
    return absl::InvalidArgumentError("ECDH: derivation failed");
  }
  std::string z(len, '\0');
  if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(z.data()), &len) != 1) {
    return absl::InvalidArgumentError("ECDH: derivation failed");
  }
  z.resize(len);
  // X25519 with a small-order peer point yields all zeros (RFC 7748 §6.1):
  // the result would not depend on our key, so it must be refused.
  std::string zeros(z.size(), '\0');
  if (CRYPTO_memcmp(z.data(), zeros.data(), z.size()) == 0) {
    return absl::InvalidArgumentError("ECDH: degenerate shared secret");
  }
  return z;
}

absl::StatusOr<std::string> ConcatKdf(std::string_view z, std::string_view algorithm_id,
                                      std::string_view apu, std::string_view apv,
                                      std::size_t key_bytes) {
  if (key_bytes == 0 || key_bytes > 64) return absl::InvalidArgumentError("Concat KDF: bad key length");
  // OtherInfo = AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo (keydatalen
  // in bits); SuppPrivInfo is empty in JOSE.
  std::string other_info;
  AppendPrefixed(other_info, algorithm_id);
  AppendPrefixed(other_info, apu);
  AppendPrefixed(other_info, apv);
  AppendBigEndian32(other_info, static_cast<std::uint32_t>(key_bytes * 8));

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md(EVP_MD_CTX_new());
  if (!md) return absl::InternalError("Concat KDF: out of memory");
  std::string out;
  // K(i) = SHA-256(counter_i || Z || OtherInfo), counter from 1, concatenated
  // until keydatalen bits are reached.
  for (std::uint32_t counter = 1; out.size() < key_bytes; ++counter) {
    std::string counter_bytes;
    AppendBigEndian32(counter_bytes, counter);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digest_len = 0;
    if (EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(md.get(), counter_bytes.data(), counter_bytes.size()) != 1 ||
        EVP_DigestUpdate(md.get(), z.data(), z.size()) != 1 ||
        EVP_DigestUpdate(md.get(), other_info.data(), other_info.size()) != 1 ||
        EVP_DigestFinal_ex(md.get(), digest.data(), &digest_len) != 1) {
      return absl::InternalError("Concat KDF: digest failed");
    }
    out.append(reinterpret_cast<const char*>(digest.data()), digest_len);
  }
  out.resize(key_bytes);
  return out;
}

}  // namespace tessera::identity::jose::crypto
