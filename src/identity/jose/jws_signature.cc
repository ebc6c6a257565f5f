// The signature primitives of JWS (RFC 7518 §3, RFC 8037 §3.1) on OpenSSL 3
// EVP: HMAC compared in constant time, RSASSA-PKCS1-v1_5, RSASSA-PSS (salt =
// hash length, MGF1 with the same hash), ECDSA in the fixed-length r||s form
// with range checks before OpenSSL sees it, and Ed25519.
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/jwk_internal.h"
#include "identity/jose/jws.h"

namespace tessera::identity::jose {
namespace {

using ::tessera::AsAbsl;
using internal::BnPtr;
using internal::MdCtxPtr;
using internal::OpenSslErrors;

enum class Family { kHmac, kRsaPkcs1, kRsaPss, kEcdsa, kEdDsa };

struct Spec {
  Family family;
  const char* digest;        // null for EdDSA
  std::size_t ec_width = 0;  // ECDSA: bytes of r and of s
  int ec_nid = 0;
};

absl::StatusOr<Spec> SpecFor(Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256: return Spec{Family::kHmac, "SHA256"};
    case Algorithm::kHS384: return Spec{Family::kHmac, "SHA384"};
    case Algorithm::kHS512: return Spec{Family::kHmac, "SHA512"};
    case Algorithm::kRS256: return Spec{Family::kRsaPkcs1, "SHA256"};
    case Algorithm::kRS384: return Spec{Family::kRsaPkcs1, "SHA384"};
    case Algorithm::kRS512: return Spec{Family::kRsaPkcs1, "SHA512"};
    case Algorithm::kPS256: return Spec{Family::kRsaPss, "SHA256"};
    case Algorithm::kPS384: return Spec{Family::kRsaPss, "SHA384"};
    case Algorithm::kPS512: return Spec{Family::kRsaPss, "SHA512"};
    case Algorithm::kES256: return Spec{Family::kEcdsa, "SHA256", 32, NID_X9_62_prime256v1};
    case Algorithm::kES384: return Spec{Family::kEcdsa, "SHA384", 48, NID_secp384r1};
    case Algorithm::kES512: return Spec{Family::kEcdsa, "SHA512", 66, NID_secp521r1};
    case Algorithm::kEdDSA: return Spec{Family::kEdDsa, nullptr};
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(AlgorithmName(alg)), " is not a signature algorithm"));
  }
}

struct EcGroupFree {
  void operator()(EC_GROUP* g) const { EC_GROUP_free(g); }
};

// The group order n of a curve; groups are immutable once built, so they are
// created once and shared.
const BIGNUM* CurveOrder(int nid) {
  static const std::unique_ptr<EC_GROUP, EcGroupFree> p256(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  static const std::unique_ptr<EC_GROUP, EcGroupFree> p384(EC_GROUP_new_by_curve_name(NID_secp384r1));
  static const std::unique_ptr<EC_GROUP, EcGroupFree> p521(EC_GROUP_new_by_curve_name(NID_secp521r1));
  const EC_GROUP* g = nid == NID_X9_62_prime256v1 ? p256.get() : nid == NID_secp384r1 ? p384.get() : p521.get();
  return g ? EC_GROUP_get0_order(g) : nullptr;
}

absl::StatusOr<std::string> Hmac(const Spec& spec, const Jwk& key, std::string_view input) {
  const EVP_MD* md = EVP_get_digestbyname(spec.digest);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md == nullptr ||
      HMAC(md, key.secret.data(), static_cast<int>(key.secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, &len) == nullptr) {
    return absl::InternalError(absl::StrCat("HMAC failed: ", OpenSslErrors()));
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

// Sets RSA padding on an initialized sign/verify context.
absl::Status ConfigureRsa(const Spec& spec, EVP_PKEY_CTX* pctx) {
  if (spec.family == Family::kRsaPkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
      return absl::InternalError(absl::StrCat("RSA padding: ", OpenSslErrors()));
    }
  } else if (spec.family == Family::kRsaPss) {
    const EVP_MD* md = EVP_get_digestbyname(spec.digest);
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1) {
      return absl::InternalError(absl::StrCat("RSA-PSS parameters: ", OpenSslErrors()));
    }
  }
  return absl::OkStatus();
}

// r||s (JOSE) -> DER (what OpenSSL verifies), after the range checks that
// reject "psychic" signatures (r or s zero, or not below n) up front.
absl::StatusOr<std::string> P1363ToDer(const Spec& spec, std::string_view signature) {
  const std::size_t w = spec.ec_width;
  BnPtr r(BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), static_cast<int>(w), nullptr));
  BnPtr s(BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data() + w), static_cast<int>(w), nullptr));
  const BIGNUM* n = CurveOrder(spec.ec_nid);
  if (!r || !s || n == nullptr) return absl::InternalError("ECDSA: cannot load r, s or the curve order");
  if (BN_is_zero(r.get()) || BN_is_zero(s.get())) {
    return absl::UnauthenticatedError("ECDSA signature has r = 0 or s = 0");
  }
  if (BN_cmp(r.get(), n) >= 0 || BN_cmp(s.get(), n) >= 0) {
    return absl::UnauthenticatedError("ECDSA signature has r or s not below the group order");
  }
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (sig == nullptr || ECDSA_SIG_set0(sig, r.get(), s.get()) != 1) {
    ECDSA_SIG_free(sig);
    return absl::InternalError("ECDSA_SIG_set0 failed");
  }
  r.release();  // now owned by sig
  s.release();
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (der_len <= 0) return absl::InternalError("i2d_ECDSA_SIG failed");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_len));
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<std::string> DerToP1363(const Spec& spec, std::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return absl::InternalError(absl::StrCat("d2i_ECDSA_SIG: ", OpenSslErrors()));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string out(2 * spec.ec_width, '\0');
  const bool ok =
      BN_bn2binpad(r, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(spec.ec_width)) > 0 &&
      BN_bn2binpad(s, reinterpret_cast<unsigned char*>(out.data() + spec.ec_width),
                   static_cast<int>(spec.ec_width)) > 0;
  ECDSA_SIG_free(sig);
  if (!ok) return absl::InternalError("ECDSA r or s does not fit the curve size");
  return out;
}

}  // namespace

absl::Status VerifySignature(Algorithm alg, const Jwk& key, std::string_view signing_input,
                             std::string_view signature) {
  TESSERA_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(key, alg));
  TESSERA_ASSIGN_OR_RETURN(Spec spec, SpecFor(alg));
  if (signature.empty()) return absl::UnauthenticatedError("signature is empty");

  if (spec.family == Family::kHmac) {
    TESSERA_ASSIGN_OR_RETURN(std::string mac, Hmac(spec, key, signing_input));
    // Length is public (fixed per algorithm); the bytes are compared in constant time.
    if (signature.size() != mac.size() ||
        CRYPTO_memcmp(mac.data(), signature.data(), mac.size()) != 0) {
      return absl::UnauthenticatedError(absl::StrCat(AsAbsl(AlgorithmName(alg)), " MAC does not match (",
                                                     signature.size(), " bytes given)"));
    }
    return absl::OkStatus();
  }

  EVP_PKEY* pkey = key.pkey.get();
  std::string der;
  std::string_view to_verify = signature;
  if (spec.family == Family::kRsaPkcs1 || spec.family == Family::kRsaPss) {
    const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(pkey));
    // RFC 8017 §8.2.2 / §8.1.2: the signature is exactly k bytes.
    if (signature.size() != k) {
      return absl::UnauthenticatedError(absl::StrCat("RSA signature has ", signature.size(), " bytes; the ",
                                                     key.bits, "-bit key needs ", k));
    }
  } else if (spec.family == Family::kEcdsa) {
    if (signature.size() != 2 * spec.ec_width) {
      return absl::UnauthenticatedError(absl::StrCat("ECDSA signature has ", signature.size(), " bytes; ",
                                                     AsAbsl(AlgorithmName(alg)), " needs ",
                                                     2 * spec.ec_width));
    }
    TESSERA_ASSIGN_OR_RETURN(der, P1363ToDer(spec, signature));
    to_verify = der;
  } else if (spec.family == Family::kEdDsa) {
    if (signature.size() != 64) {
      return absl::UnauthenticatedError(
          absl::StrCat("Ed25519 signature has ", signature.size(), " bytes; 64 needed"));
    }
  }

  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pctx, spec.digest, nullptr, nullptr, pkey, nullptr) != 1) {
    return absl::InternalError(absl::StrCat("EVP_DigestVerifyInit_ex: ", OpenSslErrors()));
  }
  TESSERA_RETURN_IF_ERROR(ConfigureRsa(spec, pctx));
  const int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(to_verify.data()),
                                  to_verify.size(), reinterpret_cast<const unsigned char*>(signing_input.data()),
                                  signing_input.size());
  if (rc != 1) {
    const std::string detail = OpenSslErrors();
    return absl::UnauthenticatedError(
        absl::StrCat(AsAbsl(AlgorithmName(alg)), " signature does not verify: ", detail));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ComputeSignature(Algorithm alg, const Jwk& key, std::string_view signing_input) {
  TESSERA_RETURN_IF_ERROR(CheckKeyFitsAlgorithm(key, alg));
  TESSERA_ASSIGN_OR_RETURN(Spec spec, SpecFor(alg));
  if (spec.family == Family::kHmac) return Hmac(spec, key, signing_input);
  if (!key.is_private) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", key.kid, "\" is public; signing needs the private key"));
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), &pctx, spec.digest, nullptr, nullptr, key.pkey.get(), nullptr) != 1) {
    return absl::InternalError(absl::StrCat("EVP_DigestSignInit_ex: ", OpenSslErrors()));
  }
  TESSERA_RETURN_IF_ERROR(ConfigureRsa(spec, pctx));
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  std::size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) != 1) {
    return absl::InternalError(absl::StrCat("EVP_DigestSign (size): ", OpenSslErrors()));
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, signing_input.size()) != 1) {
    return absl::InternalError(absl::StrCat("EVP_DigestSign: ", OpenSslErrors()));
  }
  sig.resize(len);
  if (spec.family == Family::kEcdsa) return DerToP1363(spec, sig);
  return sig;
}

}  // namespace tessera::identity::jose
