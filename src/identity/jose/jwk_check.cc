// Whether a key may be used with an algorithm: type/curve, the JWK's own
// "alg"/"use"/"key_ops", and size rules (RFC 7518 §3.2 for HMAC, exact AES key
// sizes for key wrapping and direct encryption).
#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jwk_internal.h"

namespace tessera::identity::jose {
namespace {

using ::tessera::AsAbsl;

const char* KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kOct: return "oct";
    case KeyType::kRsa: return "RSA";
    case KeyType::kEc: return "EC";
    case KeyType::kOkp: return "OKP";
  }
  return "?";
}

absl::Status WrongType(const Jwk& key, Algorithm alg, const char* wanted) {
  return absl::InvalidArgumentError(absl::StrCat(
      "key", key.kid.empty() ? "" : absl::StrCat(" \"", key.kid, "\""), " is kty ",
      KeyTypeName(key.type), key.crv.empty() ? "" : absl::StrCat("/", key.crv), "; ",
      AsAbsl(AlgorithmName(alg)), " needs ", wanted));
}

bool IsSigningOp(std::string_view op) { return op == "sign" || op == "verify"; }

// The smallest RSA modulus any configuration may use; the import floor
// (KeyImportOptions::min_rsa_bits, 2048 by default) is applied when the key is
// loaded and can only be lowered for tests, never below this.
constexpr int kAbsoluteMinRsaBits = 1024;

std::size_t AesKeyBytes(Algorithm alg) {
  switch (alg) {
    case Algorithm::kA128KW: case Algorithm::kA128GCMKW: return 16;
    case Algorithm::kA192KW: case Algorithm::kA192GCMKW: return 24;
    case Algorithm::kA256KW: case Algorithm::kA256GCMKW: return 32;
    default: return 0;
  }
}

std::size_t HmacKeyBytes(Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256: return 32;
    case Algorithm::kHS384: return 48;
    case Algorithm::kHS512: return 64;
    default: return 0;
  }
}

}  // namespace

namespace internal {

absl::Status CheckKeyTypeForAlgorithm(const Jwk& key, Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256: case Algorithm::kHS384: case Algorithm::kHS512:
    case Algorithm::kDir:
    case Algorithm::kA128KW: case Algorithm::kA192KW: case Algorithm::kA256KW:
    case Algorithm::kA128GCMKW: case Algorithm::kA192GCMKW: case Algorithm::kA256GCMKW:
    case Algorithm::kPbes2Hs256A128KW: case Algorithm::kPbes2Hs384A192KW:
    case Algorithm::kPbes2Hs512A256KW:
      if (key.type != KeyType::kOct) return WrongType(key, alg, "an oct (symmetric) key");
      return absl::OkStatus();
    case Algorithm::kRS256: case Algorithm::kRS384: case Algorithm::kRS512:
    case Algorithm::kPS256: case Algorithm::kPS384: case Algorithm::kPS512:
    case Algorithm::kRsaOaep: case Algorithm::kRsaOaep256: case Algorithm::kRsa1_5:
      if (key.type != KeyType::kRsa) return WrongType(key, alg, "an RSA key");
      return absl::OkStatus();
    case Algorithm::kES256:
      if (key.type != KeyType::kEc || key.crv != "P-256") return WrongType(key, alg, "an EC P-256 key");
      return absl::OkStatus();
    case Algorithm::kES384:
      if (key.type != KeyType::kEc || key.crv != "P-384") return WrongType(key, alg, "an EC P-384 key");
      return absl::OkStatus();
    case Algorithm::kES512:
      if (key.type != KeyType::kEc || key.crv != "P-521") return WrongType(key, alg, "an EC P-521 key");
      return absl::OkStatus();
    case Algorithm::kEdDSA:
      if (key.type != KeyType::kOkp || key.crv != "Ed25519") return WrongType(key, alg, "an OKP Ed25519 key");
      return absl::OkStatus();
    case Algorithm::kEcdhEs: case Algorithm::kEcdhEsA128KW: case Algorithm::kEcdhEsA192KW:
    case Algorithm::kEcdhEsA256KW:
      if (key.type == KeyType::kEc) return absl::OkStatus();
      if (key.type == KeyType::kOkp && key.crv == "X25519") return absl::OkStatus();
      return WrongType(key, alg, "an EC or OKP X25519 key");
  }
  return absl::InvalidArgumentError("unknown algorithm");
}

absl::Status CheckUsageForAlgorithm(const Jwk& key, Algorithm alg) {
  const bool signing = IsSigningAlgorithm(alg);
  if (!key.use.empty() && key.use != (signing ? "sig" : "enc")) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid, "\" has use \"", key.use,
                                                   "\", which excludes ", AsAbsl(AlgorithmName(alg))));
  }
  if (!key.key_ops.empty()) {
    const bool any = std::any_of(key.key_ops.begin(), key.key_ops.end(), [&](const std::string& op) {
      return signing ? IsSigningOp(op) : !IsSigningOp(op);
    });
    if (!any) {
      return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid,
                                                     "\" has key_ops that exclude ", AsAbsl(AlgorithmName(alg))));
    }
  }
  return absl::OkStatus();
}

}  // namespace internal

absl::Status CheckKeyFitsAlgorithm(const Jwk& key, Algorithm alg) {
  if (key.alg.has_value() && *key.alg != alg) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid, "\" is for ",
                                                   AsAbsl(AlgorithmName(*key.alg)), ", not ", AsAbsl(AlgorithmName(alg))));
  }
  if (absl::Status s = internal::CheckUsageForAlgorithm(key, alg); !s.ok()) return s;
  if (absl::Status s = internal::CheckKeyTypeForAlgorithm(key, alg); !s.ok()) return s;
  if (key.type == KeyType::kOct) {
    if (key.secret.empty()) return absl::InvalidArgumentError("symmetric key is empty");
    if (const std::size_t need = HmacKeyBytes(alg); need != 0 && key.secret.size() < need) {
      return absl::InvalidArgumentError(absl::StrCat("HMAC key has ", key.secret.size(), " bytes; ",
                                                     AsAbsl(AlgorithmName(alg)), " needs at least ", need));
    }
    if (const std::size_t need = AesKeyBytes(alg); need != 0 && key.secret.size() != need) {
      return absl::InvalidArgumentError(absl::StrCat("AES key has ", key.secret.size(), " bytes; ",
                                                     AsAbsl(AlgorithmName(alg)), " needs exactly ", need));
    }
  }
  if (key.type == KeyType::kRsa && key.bits < kAbsoluteMinRsaBits) {
    return absl::InvalidArgumentError(absl::StrCat("RSA key has ", key.bits, " bits; at least ",
                                                   kAbsoluteMinRsaBits, " are required"));
  }
  if (key.type != KeyType::kOct && !key.pkey) {
    return absl::InvalidArgumentError("asymmetric key has no key material");
  }
  return absl::OkStatus();
}

absl::Status CheckKeyFitsContentEncryption(const Jwk& key, ContentEncryption enc) {
  if (key.type != KeyType::kOct) {
    return absl::InvalidArgumentError(absl::StrCat("direct encryption needs an oct key, got kty ",
                                                   KeyTypeName(key.type)));
  }
  if (key.alg.has_value() && *key.alg != Algorithm::kDir) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid, "\" is for ",
                                                   AsAbsl(AlgorithmName(*key.alg)), ", not dir"));
  }
  if (key.enc.has_value() && *key.enc != enc) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid, "\" is for ",
                                                   AsAbsl(ContentEncryptionName(*key.enc)), ", not ",
                                                   AsAbsl(ContentEncryptionName(enc))));
  }
  if (absl::Status s = internal::CheckUsageForAlgorithm(key, Algorithm::kDir); !s.ok()) return s;
  std::size_t need = 0;
  switch (enc) {
    case ContentEncryption::kA128GCM: need = 16; break;
    case ContentEncryption::kA192GCM: need = 24; break;
    case ContentEncryption::kA256GCM: need = 32; break;
    case ContentEncryption::kA128CbcHs256: need = 32; break;
    case ContentEncryption::kA192CbcHs384: need = 48; break;
    case ContentEncryption::kA256CbcHs512: need = 64; break;
  }
  if (key.secret.size() != need) {
    return absl::InvalidArgumentError(absl::StrCat("direct key has ", key.secret.size(), " bytes; ",
                                                   AsAbsl(ContentEncryptionName(enc)), " needs exactly ", need));
  }
  return absl::OkStatus();
}

}  // namespace tessera::identity::jose
