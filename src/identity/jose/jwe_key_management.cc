// CEK recovery by "alg" (RFC 7518 §4). Each branch first validates the header
// parameters it needs (reported precisely: they are public and carry no
// secret), then runs the cryptography, whose every failure is the single
// DecryptionFailed() so that no step can be told apart from another.
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwe_internal.h"

namespace tessera::identity::jose::jwe_internal {
namespace {

namespace bj = boost::json;


// The unwrapped CEK must be exactly what enc needs; a wrapped key of another
// size would otherwise reach the content cipher as a key of the wrong strength.
absl::StatusOr<std::string> CheckCekSize(absl::StatusOr<std::string> cek, ContentEncryption enc) {
  if (!cek.ok() || cek->size() != CekBytes(enc)) return DecryptionFailed();
  return cek;
}

absl::StatusOr<std::string> RequiredB64Param(const bj::object& header, std::string_view name,
                                             std::size_t exact_bytes) {
  absl::StatusOr<std::optional<std::string>> value = OptionalB64Param(header, name);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header has no \"", AsAbsl(name), "\""));
  }
  if (exact_bytes != 0 && (*value)->size() != exact_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWE header \"", AsAbsl(name), "\" must be ", exact_bytes, " bytes"));
  }
  return std::move(**value);
}

absl::Status RequirePrivate(const Jwk& key) {
  if (!key.is_private || !key.pkey) return absl::InvalidArgumentError("JWE decryption needs a private key");
  return absl::OkStatus();
}

// The sender's ephemeral public key (RFC 7518 §4.6.1.1), validated before use:
// a public JWK (no "d") of the recipient key's own type and curve; ParseJwk
// checks the point is on the curve, defeating invalid-curve attacks.
absl::StatusOr<Jwk> ParseEphemeralKey(const bj::object& header, const Jwk& recipient) {
  const bj::value* epk = header.if_contains("epk");
  if (epk == nullptr) return absl::InvalidArgumentError("JWE header has no \"epk\"");
  if (!epk->is_object()) return absl::InvalidArgumentError("JWE header \"epk\" is not an object");
  if (epk->as_object().if_contains("d") != nullptr) {
    return absl::InvalidArgumentError("JWE header \"epk\" carries a private key");
  }
  KeyImportOptions options;
  options.allow_private = false;
  options.allow_symmetric = false;
  absl::StatusOr<Jwk> parsed = ParseJwk(epk->as_object(), options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"epk\" is not a valid public key: ",
                                                   parsed.status().message()));
  }
  if (parsed->type != recipient.type || parsed->crv != recipient.crv || !parsed->pkey) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"epk\" is on curve \"", parsed->crv,
                                                   "\", the key on \"", recipient.crv, "\""));
  }
  return parsed;
}

absl::StatusOr<std::string> RecoverEcdhEs(Algorithm alg, ContentEncryption enc, const Jwk& key,
                                          const bj::object& header, std::string_view encrypted_key) {
  if (absl::Status s = RequirePrivate(key); !s.ok()) return s;
  absl::StatusOr<Jwk> epk = ParseEphemeralKey(header, key);
  if (!epk.ok()) return epk.status();
  absl::StatusOr<std::optional<std::string>> apu = OptionalB64Param(header, "apu");
  if (!apu.ok()) return apu.status();
  absl::StatusOr<std::optional<std::string>> apv = OptionalB64Param(header, "apv");
  if (!apv.ok()) return apv.status();
  const bool direct = alg == Algorithm::kEcdhEs;
  if (direct && !encrypted_key.empty()) {
    return absl::InvalidArgumentError("JWE with ECDH-ES (direct) must have an empty encrypted key");
  }

  absl::StatusOr<std::string> z = crypto::EcdhSharedSecret(key.pkey.get(), epk->pkey.get());
  if (!z.ok()) return DecryptionFailed();
  // RFC 7518 §4.6.2: AlgorithmID is "enc" for direct agreement, else "alg";
  // keydatalen is the CEK size or the KEK size respectively.
  const std::string_view algorithm_id = direct ? ContentEncryptionName(enc) : AlgorithmName(alg);
  const std::size_t key_bytes = direct ? CekBytes(enc) : WrapKeyBytes(alg);
  absl::StatusOr<std::string> derived =
      crypto::ConcatKdf(*z, algorithm_id, apu->value_or(""), apv->value_or(""), key_bytes);
  if (!derived.ok()) return DecryptionFailed();
  if (direct) return derived;
  return CheckCekSize(crypto::AesKeyUnwrap(*derived, encrypted_key), enc);
}

absl::StatusOr<std::string> RecoverPbes2(Algorithm alg, ContentEncryption enc, const Jwk& key,
                                         const bj::object& header, std::string_view encrypted_key,
                                         const JweDecryptionPolicy& policy) {
  // RFC 7518 §4.8.1.1: the salt input is at least 8 bytes.
  absl::StatusOr<std::optional<std::string>> p2s = OptionalB64Param(header, "p2s");
  if (!p2s.ok()) return p2s.status();
  if (!p2s->has_value()) return absl::InvalidArgumentError("JWE header has no \"p2s\"");
  if ((*p2s)->size() < 8) return absl::InvalidArgumentError("JWE header \"p2s\" is shorter than 8 bytes");
  // p2c is attacker-chosen work: bounded by the policy, checked before PBKDF2.
  const bj::value* p2c = header.if_contains("p2c");
  if (p2c == nullptr) return absl::InvalidArgumentError("JWE header has no \"p2c\"");
  std::int64_t iterations = 0;
  if (p2c->is_int64()) {
    iterations = p2c->as_int64();
  } else if (p2c->is_uint64()) {
    return absl::InvalidArgumentError("JWE header \"p2c\" exceeds the iteration limit");
  } else {
    return absl::InvalidArgumentError("JWE header \"p2c\" is not an integer");
  }
  if (iterations < 1) return absl::InvalidArgumentError("JWE header \"p2c\" must be positive");
  if (iterations > policy.max_pbes2_iterations) {
    return absl::InvalidArgumentError(absl::StrCat("JWE header \"p2c\" ", iterations, " exceeds the limit of ",
                                                   policy.max_pbes2_iterations));
  }
  absl::StatusOr<std::string> kek = crypto::Pbes2DeriveKey(key.secret, AlgorithmName(alg), **p2s,
                                                           static_cast<int>(iterations), WrapKeyBytes(alg));
  if (!kek.ok()) return DecryptionFailed();
  return CheckCekSize(crypto::AesKeyUnwrap(*kek, encrypted_key), enc);
}

}  // namespace

absl::StatusOr<std::string> RecoverCek(Algorithm alg, ContentEncryption enc, const Jwk& key,
                                       const bj::object& header, std::string_view encrypted_key,
                                       const JweDecryptionPolicy& policy) {
  switch (alg) {
    case Algorithm::kDir:
      // RFC 7516 §5.2 step 10: with direct encryption the encrypted key is empty.
      if (!encrypted_key.empty()) {
        return absl::InvalidArgumentError("JWE with \"dir\" must have an empty encrypted key");
      }
      if (key.secret.size() != CekBytes(enc)) return DecryptionFailed();
      return key.secret;

    case Algorithm::kA128KW: case Algorithm::kA192KW: case Algorithm::kA256KW:
      return CheckCekSize(crypto::AesKeyUnwrap(key.secret, encrypted_key), enc);

    case Algorithm::kA128GCMKW: case Algorithm::kA192GCMKW: case Algorithm::kA256GCMKW: {
      // RFC 7518 §4.7.1: "iv" (96 bits) and "tag" (128 bits) are required.
      absl::StatusOr<std::string> iv = RequiredB64Param(header, "iv", 12);
      if (!iv.ok()) return iv.status();
      absl::StatusOr<std::string> tag = RequiredB64Param(header, "tag", 16);
      if (!tag.ok()) return tag.status();
      return CheckCekSize(crypto::AesGcmDecrypt(key.secret, *iv, "", encrypted_key, *tag), enc);
    }

    case Algorithm::kRsaOaep: case Algorithm::kRsaOaep256: {
      if (absl::Status s = RequirePrivate(key); !s.ok()) return s;
      const crypto::RsaPadding padding =
          alg == Algorithm::kRsaOaep ? crypto::RsaPadding::kOaepSha1 : crypto::RsaPadding::kOaepSha256;
      return CheckCekSize(crypto::RsaDecryptKey(key.pkey.get(), padding, encrypted_key, CekBytes(enc)), enc);
    }

    case Algorithm::kRsa1_5: {
      if (absl::Status s = RequirePrivate(key); !s.ok()) return s;
      // Never fails on bad padding: a random CEK comes back instead and the
      // content tag check fails like any other (RFC 7516 §11.5).
      return CheckCekSize(
          crypto::RsaDecryptKey(key.pkey.get(), crypto::RsaPadding::kPkcs1v15, encrypted_key, CekBytes(enc)),
          enc);
    }

    case Algorithm::kEcdhEs: case Algorithm::kEcdhEsA128KW: case Algorithm::kEcdhEsA192KW:
    case Algorithm::kEcdhEsA256KW:
      return RecoverEcdhEs(alg, enc, key, header, encrypted_key);

    case Algorithm::kPbes2Hs256A128KW: case Algorithm::kPbes2Hs384A192KW: case Algorithm::kPbes2Hs512A256KW:
      return RecoverPbes2(alg, enc, key, header, encrypted_key, policy);

    default:
      return absl::InvalidArgumentError(
          absl::StrCat("JWE alg ", AsAbsl(AlgorithmName(alg)), " is not a key management algorithm"));
  }
}

}  // namespace tessera::identity::jose::jwe_internal
