// JWK / PEM import: every key is decoded strictly, rebuilt as an OpenSSL key
// and validated once, at configuration time (see jwk.h for the rules).
#include <algorithm>
#include <cctype>
#include <set>

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jwk_internal.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;
using ::tessera::AsAbsl;
using internal::BnPtr;
using internal::OpenSslErrors;
using internal::PkeyCtxPtr;

// RSA moduli above this are refused: verification cost grows with the
// modulus, and no deployed issuer uses more.
constexpr int kMaxRsaBits = 16384;

struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct DecoderCtxFree {
  void operator()(OSSL_DECODER_CTX* c) const { OSSL_DECODER_CTX_free(c); }
};

absl::Status Invalid(std::string_view kid, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("JWK", kid.empty() ? "" : absl::StrCat(" \"", AsAbsl(kid), "\""), ": ", AsAbsl(what)));
}

// A member that must be a string when present.
absl::StatusOr<std::optional<std::string>> OptionalString(const bj::object& o, std::string_view name) {
  const bj::value* v = o.if_contains(bj::string_view(name.data(), name.size()));
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Invalid("", absl::StrCat("member \"", AsAbsl(name), "\" is not a string"));
  return std::optional<std::string>(std::string(v->as_string().data(), v->as_string().size()));
}

// A base64url member, strictly decoded.
absl::StatusOr<std::optional<std::string>> OptionalBytes(const bj::object& o, std::string_view name) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(o, name));
  if (!text.has_value()) return text;
  absl::StatusOr<std::string> bytes = DecodeBase64Url(*text);
  if (!bytes.ok()) {
    return Invalid("", absl::StrCat("member \"", AsAbsl(name), "\": ", std::string(bytes.status().message())));
  }
  return std::optional<std::string>(std::move(*bytes));
}

absl::StatusOr<std::string> RequiredBytes(const bj::object& o, std::string_view name,
                                          std::string_view kty) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> bytes, OptionalBytes(o, name));
  if (!bytes.has_value()) {
    return Invalid("", absl::StrCat("kty ", AsAbsl(kty), " requires member \"", AsAbsl(name), "\""));
  }
  return std::move(*bytes);
}

bool KnownKeyOp(std::string_view op) {
  static constexpr std::string_view kOps[] = {"sign",    "verify",    "encrypt",   "decrypt",
                                              "wrapKey", "unwrapKey", "deriveKey", "deriveBits"};
  return std::find(std::begin(kOps), std::end(kOps), op) != std::end(kOps);
}

absl::Status ParseCommonMembers(const bj::object& o, Jwk& key) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> kid, OptionalString(o, "kid"));
  if (kid.has_value()) key.kid = *kid;
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> alg, OptionalString(o, "alg"));
  if (alg.has_value()) {
    // An unknown "alg" must not be dropped: the key would then bind by type to
    // an algorithm its owner did not intend.
    std::optional<Algorithm> parsed = AlgorithmFromName(*alg);
    if (parsed.has_value()) {
      key.alg = *parsed;
    } else if (std::optional<ContentEncryption> enc = ContentEncryptionFromName(*alg)) {
      // A content-encryption name: the key is a CEK for "dir" (checked below
      // to be an oct key of the right size).
      key.alg = Algorithm::kDir;
      key.enc = *enc;
    } else {
      return Invalid(key.kid, absl::StrCat("unknown alg \"", *alg, "\""));
    }
  }
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> use, OptionalString(o, "use"));
  if (use.has_value()) {
    if (*use != "sig" && *use != "enc") {
      return Invalid(key.kid, absl::StrCat("use \"", *use, "\" is neither \"sig\" nor \"enc\""));
    }
    key.use = *use;
  }
  if (const bj::value* ops = o.if_contains("key_ops")) {
    if (!ops->is_array()) return Invalid(key.kid, "key_ops is not an array");
    std::set<std::string> seen;
    for (const bj::value& op : ops->as_array()) {
      if (!op.is_string()) return Invalid(key.kid, "key_ops holds a non-string");
      std::string name(op.as_string().data(), op.as_string().size());
      if (!KnownKeyOp(name)) return Invalid(key.kid, absl::StrCat("unknown key_ops value \"", name, "\""));
      if (!seen.insert(name).second) return Invalid(key.kid, absl::StrCat("key_ops repeats \"", name, "\""));
      key.key_ops.push_back(std::move(name));
    }
    if (key.key_ops.empty()) return Invalid(key.kid, "key_ops is empty");
  }
  // RFC 7517 §4.3: when both are present they must agree.
  if (!key.use.empty() && !key.key_ops.empty()) {
    for (const std::string& op : key.key_ops) {
      const bool signing_op = op == "sign" || op == "verify";
      if (signing_op != (key.use == "sig")) {
        return Invalid(key.kid, absl::StrCat("key_ops \"", op, "\" contradicts use \"", key.use, "\""));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<EVP_PKEY*> FromData(const char* type, int selection, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return absl::InternalError(absl::StrCat("OSSL_PARAM_BLD_to_param: ", OpenSslErrors()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1 || pkey == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("OpenSSL refused the ", type, " key: ", OpenSslErrors()));
  }
  return pkey;
}

// A private key must be the private half of its public key: sign a fixed
// message and verify it with the public part.
absl::Status SelfTestSignature(EVP_PKEY* pkey, const EVP_MD* md) {
  static constexpr unsigned char kMessage[] = "tessera key consistency check";
  internal::MdCtxPtr sign_ctx(EVP_MD_CTX_new());
  std::size_t sig_len = 0;
  if (!sign_ctx || EVP_DigestSignInit_ex(sign_ctx.get(), nullptr, md ? EVP_MD_get0_name(md) : nullptr,
                                         nullptr, nullptr, pkey, nullptr) != 1 ||
      EVP_DigestSign(sign_ctx.get(), nullptr, &sig_len, kMessage, sizeof(kMessage)) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("private key cannot sign: ", OpenSslErrors()));
  }
  std::string sig(sig_len, '\0');
  if (EVP_DigestSign(sign_ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len, kMessage,
                     sizeof(kMessage)) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("private key cannot sign: ", OpenSslErrors()));
  }
  internal::MdCtxPtr verify_ctx(EVP_MD_CTX_new());
  if (!verify_ctx ||
      EVP_DigestVerifyInit_ex(verify_ctx.get(), nullptr, md ? EVP_MD_get0_name(md) : nullptr, nullptr,
                              nullptr, pkey, nullptr) != 1 ||
      EVP_DigestVerify(verify_ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig_len,
                       kMessage, sizeof(kMessage)) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("private key does not match its public key (self-test failed)");
  }
  return absl::OkStatus();
}

absl::Status ParseRsa(const bj::object& o, const KeyImportOptions& options, Jwk& key) {
  TESSERA_ASSIGN_OR_RETURN(std::string n, RequiredBytes(o, "n", "RSA"));
  TESSERA_ASSIGN_OR_RETURN(std::string e, RequiredBytes(o, "e", "RSA"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> d, OptionalBytes(o, "d"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> p, OptionalBytes(o, "p"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> q, OptionalBytes(o, "q"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> dp, OptionalBytes(o, "dp"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> dq, OptionalBytes(o, "dq"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> qi, OptionalBytes(o, "qi"));
  if (o.contains("oth")) return Invalid(key.kid, "multi-prime RSA keys (\"oth\") are not supported");
  const bool any_crt = p || q || dp || dq || qi;
  const bool all_crt = p && q && dp && dq && qi;
  if ((d || any_crt) && !options.allow_private) {
    return Invalid(key.kid, "private RSA members are not allowed here");
  }
  if (any_crt && !d) return Invalid(key.kid, "RSA CRT members without \"d\"");
  // RFC 7518 §6.3.2: p, q, dp, dq, qi come together or not at all.
  if (any_crt && !all_crt) return Invalid(key.kid, "RSA key has some but not all of p, q, dp, dq, qi");

  BnPtr bn_n = internal::BytesToBn(n);
  BnPtr bn_e = internal::BytesToBn(e);
  if (!bn_n || !bn_e) return absl::InternalError("BN_bin2bn failed");
  const int bits = BN_num_bits(bn_n.get());
  const int floor = std::max(options.min_rsa_bits, 1024);
  if (bits < floor) {
    return Invalid(key.kid, absl::StrCat("RSA modulus has ", bits, " bits; at least ", floor, " required"));
  }
  if (bits > kMaxRsaBits) {
    return Invalid(key.kid, absl::StrCat("RSA modulus has ", bits, " bits; at most ", kMaxRsaBits, " allowed"));
  }
  if (!BN_is_odd(bn_n.get())) return Invalid(key.kid, "RSA modulus is even");
  if (!BN_is_odd(bn_e.get()) || BN_is_one(bn_e.get())) {
    return Invalid(key.kid, "RSA public exponent must be odd and greater than 1");
  }
  if (BN_cmp(bn_e.get(), bn_n.get()) >= 0) return Invalid(key.kid, "RSA public exponent is not below n");
  if (internal::HasRocaFingerprint(bn_n.get())) {
    return Invalid(key.kid, "RSA modulus has the ROCA fingerprint (CVE-2017-15361): the key is factorable");
  }

  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  std::vector<BnPtr> keep;
  bool ok = bld && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
            OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1;
  auto push = [&](const char* name, const std::string& bytes) {
    keep.push_back(internal::BytesToBn(bytes));
    ok = ok && keep.back() && OSSL_PARAM_BLD_push_BN(bld.get(), name, keep.back().get()) == 1;
  };
  if (d) {
    if (d->empty()) return Invalid(key.kid, "RSA \"d\" is empty");
    push(OSSL_PKEY_PARAM_RSA_D, *d);
    if (all_crt) {
      push(OSSL_PKEY_PARAM_RSA_FACTOR1, *p);
      push(OSSL_PKEY_PARAM_RSA_FACTOR2, *q);
      push(OSSL_PKEY_PARAM_RSA_EXPONENT1, *dp);
      push(OSSL_PKEY_PARAM_RSA_EXPONENT2, *dq);
      push(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, *qi);
    }
  }
  if (!ok) return absl::InternalError(absl::StrCat("building RSA parameters: ", OpenSslErrors()));
  TESSERA_ASSIGN_OR_RETURN(EVP_PKEY* raw,
                           FromData("RSA", d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get()));
  key.pkey = internal::WrapPkey(raw);
  key.bits = bits;
  key.is_private = d.has_value();

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
    return Invalid(key.kid, absl::StrCat("RSA public key fails validation: ", OpenSslErrors()));
  }
  if (all_crt && EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    return Invalid(key.kid, absl::StrCat("RSA private key is inconsistent: ", OpenSslErrors()));
  }
  if (d) {
    if (absl::Status s = SelfTestSignature(raw, EVP_sha256()); !s.ok()) {
      return Invalid(key.kid, std::string(s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseEc(const bj::object& o, const KeyImportOptions& options, Jwk& key) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> crv, OptionalString(o, "crv"));
  if (!crv) return Invalid(key.kid, "kty EC requires member \"crv\"");
  const std::size_t width = internal::EcCoordinateBytes(*crv);
  if (width == 0) return Invalid(key.kid, absl::StrCat("EC curve \"", *crv, "\" is not supported"));
  key.crv = *crv;
  TESSERA_ASSIGN_OR_RETURN(std::string x, RequiredBytes(o, "x", "EC"));
  TESSERA_ASSIGN_OR_RETURN(std::string y, RequiredBytes(o, "y", "EC"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> d, OptionalBytes(o, "d"));
  // RFC 7518 §6.2.1.2/3, §6.2.2.1: full-length, fixed-size encodings.
  if (x.size() != width || y.size() != width) {
    return Invalid(key.kid, absl::StrCat(*crv, " coordinates must be ", width, " bytes; got x ",
                                         x.size(), ", y ", y.size()));
  }
  if (d && !options.allow_private) return Invalid(key.kid, "private EC member \"d\" is not allowed here");
  if (d && d->size() != width) {
    return Invalid(key.kid, absl::StrCat(*crv, " private key must be ", width, " bytes; got ", d->size()));
  }
  std::string point = "\x04" + x;
  point += y;
  const std::string group(internal::EcGroupName(*crv));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  BnPtr bn_d = d ? internal::BytesToBn(*d) : nullptr;
  bool ok = bld &&
            OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.c_str(), 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                             point.size()) == 1;
  if (d) ok = ok && bn_d && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, bn_d.get()) == 1;
  if (!ok) return absl::InternalError(absl::StrCat("building EC parameters: ", OpenSslErrors()));
  absl::StatusOr<EVP_PKEY*> raw = FromData("EC", d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get());
  if (!raw.ok()) {
    return Invalid(key.kid, absl::StrCat("EC point is not on ", *crv, ": ", std::string(raw.status().message())));
  }
  key.pkey = internal::WrapPkey(*raw);
  key.bits = *crv == "P-521" ? 521 : static_cast<int>(width * 8);
  key.is_private = d.has_value();
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, *raw, nullptr));
  if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
    return Invalid(key.kid, absl::StrCat("EC public key is not a valid point on ", *crv, ": ", OpenSslErrors()));
  }
  if (d && EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    return Invalid(key.kid, absl::StrCat("EC private key does not match x/y: ", OpenSslErrors()));
  }
  return absl::OkStatus();
}

absl::Status ParseOkp(const bj::object& o, const KeyImportOptions& options, Jwk& key) {
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> crv, OptionalString(o, "crv"));
  if (!crv) return Invalid(key.kid, "kty OKP requires member \"crv\"");
  int id = 0;
  if (*crv == "Ed25519") {
    id = EVP_PKEY_ED25519;
  } else if (*crv == "X25519") {
    id = EVP_PKEY_X25519;
  } else {
    return Invalid(key.kid, absl::StrCat("OKP curve \"", *crv, "\" is not supported (Ed25519, X25519 are)"));
  }
  key.crv = *crv;
  TESSERA_ASSIGN_OR_RETURN(std::string x, RequiredBytes(o, "x", "OKP"));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> d, OptionalBytes(o, "d"));
  if (x.size() != 32) return Invalid(key.kid, absl::StrCat(*crv, " x must be 32 bytes; got ", x.size()));
  if (d && !options.allow_private) return Invalid(key.kid, "private OKP member \"d\" is not allowed here");
  if (d && d->size() != 32) return Invalid(key.kid, absl::StrCat(*crv, " d must be 32 bytes; got ", d->size()));
  EVP_PKEY* raw = nullptr;
  if (d) {
    raw = EVP_PKEY_new_raw_private_key(id, nullptr, reinterpret_cast<const unsigned char*>(d->data()), 32);
  } else {
    raw = EVP_PKEY_new_raw_public_key(id, nullptr, reinterpret_cast<const unsigned char*>(x.data()), 32);
  }
  if (raw == nullptr) return Invalid(key.kid, absl::StrCat("OpenSSL refused the ", *crv, " key: ", OpenSslErrors()));
  key.pkey = internal::WrapPkey(raw);
  key.bits = 256;
  key.is_private = d.has_value();
  if (d) {
    // The public key is derived from d; it must be the x the JWK claims.
    unsigned char derived[32];
    std::size_t len = sizeof(derived);
    if (EVP_PKEY_get_raw_public_key(raw, derived, &len) != 1 || len != 32 ||
        CRYPTO_memcmp(derived, x.data(), 32) != 0) {
      ERR_clear_error();
      return Invalid(key.kid, absl::StrCat(*crv, " private key does not match x"));
    }
  }
  if (id == EVP_PKEY_X25519 && key.use == "sig") {
    return Invalid(key.kid, "X25519 keys are for ECDH-ES, not signatures");
  }
  return absl::OkStatus();
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

absl::StatusOr<Jwk> ParseJwk(const bj::object& jwk, const KeyImportOptions& options) {
  Jwk key;
  TESSERA_RETURN_IF_ERROR(ParseCommonMembers(jwk, key));
  TESSERA_ASSIGN_OR_RETURN(std::optional<std::string> kty, OptionalString(jwk, "kty"));
  if (!kty) return Invalid(key.kid, "member \"kty\" is missing");
  if (*kty == "oct") {
    if (!options.allow_symmetric) return Invalid(key.kid, "symmetric (oct) keys are not allowed here");
    key.type = KeyType::kOct;
    TESSERA_ASSIGN_OR_RETURN(std::string k, RequiredBytes(jwk, "k", "oct"));
    if (k.empty()) return Invalid(key.kid, "oct key \"k\" is empty");
    key.secret = std::move(k);
    key.bits = static_cast<int>(key.secret.size() * 8);
    key.is_private = true;
  } else if (*kty == "RSA") {
    key.type = KeyType::kRsa;
    TESSERA_RETURN_IF_ERROR(ParseRsa(jwk, options, key));
  } else if (*kty == "EC") {
    key.type = KeyType::kEc;
    TESSERA_RETURN_IF_ERROR(ParseEc(jwk, options, key));
  } else if (*kty == "OKP") {
    key.type = KeyType::kOkp;
    TESSERA_RETURN_IF_ERROR(ParseOkp(jwk, options, key));
  } else {
    return Invalid(key.kid, absl::StrCat("unknown kty \"", *kty, "\""));
  }
  if (key.type == KeyType::kEc && key.is_private) {
    // ECDSA key pairs are self-tested like RSA ones (pairwise check done above
    // already compares d*G with the point; this also exercises signing).
    const EVP_MD* md = key.crv == "P-256" ? EVP_sha256() : key.crv == "P-384" ? EVP_sha384() : EVP_sha512();
    if (absl::Status s = SelfTestSignature(key.pkey.get(), md); !s.ok()) return Invalid(key.kid, std::string(s.message()));
  }
  if (key.type == KeyType::kOkp && key.crv == "Ed25519" && key.is_private) {
    if (absl::Status s = SelfTestSignature(key.pkey.get(), nullptr); !s.ok()) return Invalid(key.kid, std::string(s.message()));
  }
  if (key.enc.has_value()) {
    TESSERA_RETURN_IF_ERROR(CheckKeyFitsContentEncryption(key, *key.enc));
  }
  if (key.alg.has_value()) {
    TESSERA_RETURN_IF_ERROR(internal::CheckKeyTypeForAlgorithm(key, *key.alg));
    TESSERA_RETURN_IF_ERROR(internal::CheckUsageForAlgorithm(key, *key.alg));
  }
  if (key.type == KeyType::kOkp && key.crv == "X25519" && key.alg.has_value() && IsSigningAlgorithm(*key.alg)) {
    return Invalid(key.kid, "X25519 keys are for ECDH-ES, not signatures");
  }
  return key;
}

absl::StatusOr<std::vector<Jwk>> ParseJwkSet(const bj::object& set, const KeyImportOptions& options) {
  const bj::value* keys = set.if_contains("keys");
  if (keys == nullptr || !keys->is_array()) {
    return absl::InvalidArgumentError("JWK set: member \"keys\" is missing or not an array");
  }
  if (keys->as_array().empty()) return absl::InvalidArgumentError("JWK set: \"keys\" is empty");
  std::vector<Jwk> out;
  std::set<std::string> kids;
  std::size_t index = 0;
  for (const bj::value& v : keys->as_array()) {
    if (!v.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat("JWK set: keys[", index, "] is not an object"));
    }
    absl::StatusOr<Jwk> key = ParseJwk(v.as_object(), options);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWK set: keys[", index, "]: ", std::string(key.status().message())));
    }
    // Two keys under one kid make the choice of key ambiguous.
    if (!key->kid.empty() && !kids.insert(key->kid).second) {
      return absl::InvalidArgumentError(absl::StrCat("JWK set: duplicate kid \"", key->kid, "\""));
    }
    if (!out.empty() && out.front().is_private != key->is_private) {
      return absl::InvalidArgumentError(absl::StrCat(
          "JWK set mixes public and private/symmetric keys (keys[", index, "] differs from keys[0])"));
    }
    out.push_back(std::move(*key));
    ++index;
  }
  return out;
}

absl::StatusOr<Jwk> ParsePemKey(std::string_view pem, const KeyImportOptions& options) {
  pem = TrimSpace(pem);
  constexpr std::string_view kBegin = "-----BEGIN ";
  const std::size_t begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return absl::InvalidArgumentError("PEM: no \"-----BEGIN\" line");
  const std::size_t label_end = pem.find("-----", begin + kBegin.size());
  if (label_end == std::string_view::npos) return absl::InvalidArgumentError("PEM: malformed BEGIN line");
  const std::string_view label = pem.substr(begin + kBegin.size(), label_end - begin - kBegin.size());

  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return absl::InternalError("BIO_new_mem_buf failed");
  EVP_PKEY* raw = nullptr;
  if (label == "CERTIFICATE") {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return absl::InvalidArgumentError(absl::StrCat("PEM certificate: ", OpenSslErrors()));
    raw = X509_get_pubkey(cert.get());
  } else {
    if (label.find("ENCRYPTED") != std::string_view::npos) {
      return absl::InvalidArgumentError("PEM: encrypted private keys are not supported");
    }
    // OSSL_DECODER reads SPKI, PKCS#1, PKCS#8 and traditional private keys. No
    // passphrase callback is installed, so nothing ever prompts.
    std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxFree> dctx(
        OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, nullptr, 0, nullptr, nullptr));
    if (!dctx || OSSL_DECODER_from_bio(dctx.get(), bio.get()) != 1) {
      if (raw) EVP_PKEY_free(raw);
      return absl::InvalidArgumentError(absl::StrCat("PEM \"", AsAbsl(label), "\": cannot decode: ", OpenSslErrors()));
    }
  }
  if (raw == nullptr) return absl::InvalidArgumentError(absl::StrCat("PEM: no key: ", OpenSslErrors()));
  EvpPkeyPtr owned = internal::WrapPkey(raw);
  // Re-validate through the JWK path so that PEM and JWK keys obey one set of rules.
  TESSERA_ASSIGN_OR_RETURN(bj::object members, internal::PkeyToJwkMembers(raw, /*include_private=*/true));
  return ParseJwk(members, options);
}

absl::StatusOr<std::vector<Jwk>> ParseKeyMaterial(std::string_view text, const KeyImportOptions& options) {
  text = TrimSpace(text);
  if (text.substr(0, 5) == "-----") {
    TESSERA_ASSIGN_OR_RETURN(Jwk key, ParsePemKey(text, options));
    std::vector<Jwk> out;
    out.push_back(std::move(key));
    return out;
  }
  if (!text.empty() && text.front() == '{') {
    TESSERA_ASSIGN_OR_RETURN(bj::object obj, ParseStrictJsonObject(text));
    if (obj.contains("keys")) return ParseJwkSet(obj, options);
    TESSERA_ASSIGN_OR_RETURN(Jwk key, ParseJwk(obj, options));
    std::vector<Jwk> out;
    out.push_back(std::move(key));
    return out;
  }
  return absl::InvalidArgumentError("key material is neither PEM nor a JSON JWK / JWK set");
}

Jwk SecretJwk(std::string_view bytes) {
  Jwk key;
  key.type = KeyType::kOct;
  key.secret = std::string(bytes);
  key.is_private = true;
  key.bits = static_cast<int>(bytes.size() * 8);
  return key;
}

bool LooksLikeKeyDocument(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  return text[first] == '{' || text.substr(first).rfind("-----BEGIN", 0) == 0;
}

}  // namespace tessera::identity::jose
