// CEK creation for encryption by "alg" (RFC 7518 §4): a fresh random CEK
// (or, for dir / ECDH-ES direct, the agreed key) and what the recipient needs
// to recover it: the encrypted key and the header parameters epk, iv/tag,
// p2s/p2c.
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include <openssl/evp.h>

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwe_internal.h"

namespace tessera::identity::jose::jwe_internal {
namespace {

namespace bj = boost::json;

// Iterations when the caller does not choose: high enough to slow offline
// guessing, within the default decryption policy's bound.
constexpr std::int64_t kDefaultPbes2Iterations = 310000;
constexpr std::size_t kPbes2SaltBytes = 16;


// An ephemeral key pair on the recipient's curve (RFC 7518 §4.6: "on the same
// curve as the recipient's key").
absl::StatusOr<Jwk> EphemeralKeyFor(const Jwk& recipient) {
  EVP_PKEY* raw = nullptr;
  if (recipient.type == KeyType::kEc &&
      (recipient.crv == "P-256" || recipient.crv == "P-384" || recipient.crv == "P-521")) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", recipient.crv.c_str());
  } else if (recipient.type == KeyType::kOkp && recipient.crv == "X25519") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519");
  } else {
    return absl::InvalidArgumentError("ECDH-ES needs an EC (P-256/384/521) or X25519 recipient key");
  }
  if (raw == nullptr) return absl::InternalError("ephemeral key generation failed");
  Jwk ephemeral;
  ephemeral.type = recipient.type;
  ephemeral.crv = recipient.crv;
  ephemeral.is_private = true;
  ephemeral.pkey = EvpPkeyPtr(raw, EvpPkeyFree());
  ephemeral.bits = recipient.bits;
  return ephemeral;
}

absl::StatusOr<NewCek> CreateEcdhEs(Algorithm alg, ContentEncryption enc, const Jwk& recipient,
                                    const bj::object& extra_header) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> apu, OptionalB64Param(extra_header, "apu"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> apv, OptionalB64Param(extra_header, "apv"));
  TESSERA_ASSIGN_OR_RETURN(Jwk ephemeral, EphemeralKeyFor(recipient));
  TESSERA_ASSIGN_OR_RETURN(std::string z, crypto::EcdhSharedSecret(ephemeral.pkey.get(), recipient.pkey.get()));
  const bool direct = alg == Algorithm::kEcdhEs;
  const std::string_view algorithm_id = direct ? ContentEncryptionName(enc) : AlgorithmName(alg);
  const std::size_t key_bytes = direct ? CekBytes(enc) : WrapKeyBytes(alg);
  TESSERA_ASSIGN_OR_RETURN(std::string derived,
                           crypto::ConcatKdf(z, algorithm_id, apu.value_or(""), apv.value_or(""), key_bytes));
  NewCek out;
  TESSERA_ASSIGN_OR_RETURN(bj::object epk, PublicJwk(ephemeral));
  out.header_params["epk"] = std::move(epk);
  if (direct) {
    out.cek = std::move(derived);
    return out;
  }
  out.cek = crypto::RandomBytes(CekBytes(enc));
  TESSERA_ASSIGN_OR_RETURN(out.encrypted_key, crypto::AesKeyWrap(derived, out.cek));
  return out;
}

absl::StatusOr<NewCek> CreatePbes2(Algorithm alg, ContentEncryption enc, const Jwk& recipient,
                                   const bj::object& extra_header) {
  std::int64_t iterations = kDefaultPbes2Iterations;
  if (const bj::value* p2c = extra_header.if_contains("p2c"); p2c != nullptr) {
    if (!p2c->is_int64() || p2c->as_int64() < 1 || p2c->as_int64() > INT32_MAX) {
      return absl::InvalidArgumentError("\"p2c\" must be a positive integer");
    }
    iterations = p2c->as_int64();
  }
  NewCek out;
  const std::string salt = crypto::RandomBytes(kPbes2SaltBytes);
  TESSERA_ASSIGN_OR_RETURN(std::string kek, crypto::Pbes2DeriveKey(recipient.secret, AlgorithmName(alg), salt,
                                                                   static_cast<int>(iterations), WrapKeyBytes(alg)));
  out.cek = crypto::RandomBytes(CekBytes(enc));
  TESSERA_ASSIGN_OR_RETURN(out.encrypted_key, crypto::AesKeyWrap(kek, out.cek));
  out.header_params["p2s"] = EncodeBase64Url(salt);
  out.header_params["p2c"] = iterations;
  return out;
}

}  // namespace

absl::StatusOr<NewCek> CreateCek(Algorithm alg, ContentEncryption enc, const Jwk& recipient_key,
                                 const bj::object& extra_header) {
  NewCek out;
  switch (alg) {
    case Algorithm::kDir:
      out.cek = recipient_key.secret;
      return out;

    case Algorithm::kA128KW: case Algorithm::kA192KW: case Algorithm::kA256KW: {
      out.cek = crypto::RandomBytes(CekBytes(enc));
      TESSERA_ASSIGN_OR_RETURN(out.encrypted_key, crypto::AesKeyWrap(recipient_key.secret, out.cek));
      return out;
    }

    case Algorithm::kA128GCMKW: case Algorithm::kA192GCMKW: case Algorithm::kA256GCMKW: {
      out.cek = crypto::RandomBytes(CekBytes(enc));
      const std::string iv = crypto::RandomBytes(12);
      TESSERA_ASSIGN_OR_RETURN(crypto::Sealed sealed, crypto::AesGcmEncrypt(recipient_key.secret, iv, "", out.cek));
      out.encrypted_key = std::move(sealed.ciphertext);
      out.header_params["iv"] = EncodeBase64Url(iv);
      out.header_params["tag"] = EncodeBase64Url(sealed.tag);
      return out;
    }

    case Algorithm::kRsaOaep: case Algorithm::kRsaOaep256: case Algorithm::kRsa1_5: {
      const crypto::RsaPadding padding = alg == Algorithm::kRsaOaep      ? crypto::RsaPadding::kOaepSha1
                                         : alg == Algorithm::kRsaOaep256 ? crypto::RsaPadding::kOaepSha256
                                                                         : crypto::RsaPadding::kPkcs1v15;
      out.cek = crypto::RandomBytes(CekBytes(enc));
      TESSERA_ASSIGN_OR_RETURN(out.encrypted_key,
                               crypto::RsaEncryptKey(recipient_key.pkey.get(), padding, out.cek));
      return out;
    }

    case Algorithm::kEcdhEs: case Algorithm::kEcdhEsA128KW: case Algorithm::kEcdhEsA192KW:
    case Algorithm::kEcdhEsA256KW:
      return CreateEcdhEs(alg, enc, recipient_key, extra_header);

    case Algorithm::kPbes2Hs256A128KW: case Algorithm::kPbes2Hs384A192KW: case Algorithm::kPbes2Hs512A256KW:
      return CreatePbes2(alg, enc, recipient_key, extra_header);

    default:
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(AlgorithmName(alg)), " is not a key management algorithm"));
  }
}

}  // namespace tessera::identity::jose::jwe_internal
