// OpenSSL plumbing shared by the JWK and JWS code: owners, error text, BIGNUM
// conversions and the OpenSSL key -> JWK members direction (used for PEM
// import, which re-validates through ParseJwk, and for PublicJwk).
#include <openssl/core_names.h>
#include <openssl/err.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "identity/jose/base64url.h"
#include "identity/jose/jwk_internal.h"

namespace tessera::identity::jose::internal {

EvpPkeyPtr WrapPkey(EVP_PKEY* key) { return EvpPkeyPtr(key, EvpPkeyFree()); }

std::string OpenSslErrors() {
  std::string out;
  unsigned long code;
  while ((code = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? std::string("no OpenSSL error detail") : out;
}

BnPtr BytesToBn(std::string_view big_endian) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                         static_cast<int>(big_endian.size()), nullptr));
}

std::string BnToBytes(const BIGNUM* bn, std::size_t width) {
  const std::size_t len = static_cast<std::size_t>(BN_num_bytes(bn));
  const std::size_t out_len = width > len ? width : len;
  std::string out(out_len, '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data() + (out_len - len)));
  return out;
}

std::size_t EcCoordinateBytes(std::string_view crv) {
  if (crv == "P-256") return 32;
  if (crv == "P-384") return 48;
  if (crv == "P-521") return 66;
  return 0;
}

std::string_view EcGroupName(std::string_view crv) {
  if (crv == "P-256") return "prime256v1";
  if (crv == "P-384") return "secp384r1";
  if (crv == "P-521") return "secp521r1";
  return {};
}

namespace {

absl::StatusOr<BnPtr> GetBn(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1 || bn == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("key lacks parameter ", name, ": ", OpenSslErrors()));
  }
  return BnPtr(bn);
}

absl::Status PutBn(boost::json::object& out, const char* member, EVP_PKEY* key,
                   const char* name, std::size_t width = 0) {
  absl::StatusOr<BnPtr> bn = GetBn(key, name);
  if (!bn.ok()) return bn.status();
  out[member] = EncodeBase64Url(BnToBytes(bn->get(), width));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<boost::json::object> PkeyToJwkMembers(EVP_PKEY* key, bool include_private) {
  boost::json::object out;
  const int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) {
    out["kty"] = "RSA";
    absl::Status s = PutBn(out, "n", key, OSSL_PKEY_PARAM_RSA_N);
    if (s.ok()) s = PutBn(out, "e", key, OSSL_PKEY_PARAM_RSA_E);
    if (!s.ok()) return s;
    if (include_private) {
      BIGNUM* d = nullptr;
      if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) == 1 && d != nullptr) {
        BnPtr owned(d);
        out["d"] = EncodeBase64Url(BnToBytes(d));
        // CRT members are optional in a JWK; export them when all are there.
        BIGNUM* p = nullptr;
        if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_FACTOR1, &p) == 1 && p != nullptr) {
          BN_free(p);
          s = PutBn(out, "p", key, OSSL_PKEY_PARAM_RSA_FACTOR1);
          if (s.ok()) s = PutBn(out, "q", key, OSSL_PKEY_PARAM_RSA_FACTOR2);
          if (s.ok()) s = PutBn(out, "dp", key, OSSL_PKEY_PARAM_RSA_EXPONENT1);
          if (s.ok()) s = PutBn(out, "dq", key, OSSL_PKEY_PARAM_RSA_EXPONENT2);
          if (s.ok()) s = PutBn(out, "qi", key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
          if (!s.ok()) return s;
        }
      }
      ERR_clear_error();
    }
    return out;
  }
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    std::size_t group_len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &group_len) != 1) {
      return absl::InvalidArgumentError(absl::StrCat("EC key without a named curve: ", OpenSslErrors()));
    }
    const std::string_view g(group, group_len);
    std::string crv;
    for (std::string_view candidate : {"P-256", "P-384", "P-521"}) {
      if (EcGroupName(candidate) == g) crv = std::string(candidate);
    }
    if (crv.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("EC curve ", std::string(g), " is not supported by JOSE"));
    }
    const std::size_t width = EcCoordinateBytes(crv);
    out["kty"] = "EC";
    out["crv"] = crv;
    absl::Status s = PutBn(out, "x", key, OSSL_PKEY_PARAM_EC_PUB_X, width);
    if (s.ok()) s = PutBn(out, "y", key, OSSL_PKEY_PARAM_EC_PUB_Y, width);
    if (!s.ok()) return s;
    if (include_private) {
      BIGNUM* d = nullptr;
      if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 && d != nullptr) {
        BnPtr owned(d);
        out["d"] = EncodeBase64Url(BnToBytes(d, width));
      }
      ERR_clear_error();
    }
    return out;
  }
  if (id == EVP_PKEY_ED25519 || id == EVP_PKEY_X25519) {
    out["kty"] = "OKP";
    out["crv"] = id == EVP_PKEY_ED25519 ? "Ed25519" : "X25519";
    unsigned char buf[32];
    std::size_t len = sizeof(buf);
    if (EVP_PKEY_get_raw_public_key(key, buf, &len) != 1 || len != 32) {
      return absl::InvalidArgumentError(absl::StrCat("OKP key without public key: ", OpenSslErrors()));
    }
    out["x"] = EncodeBase64Url(std::string_view(reinterpret_cast<const char*>(buf), len));
    if (include_private) {
      len = sizeof(buf);
      if (EVP_PKEY_get_raw_private_key(key, buf, &len) == 1 && len == 32) {
        out["d"] = EncodeBase64Url(std::string_view(reinterpret_cast<const char*>(buf), len));
      }
      OPENSSL_cleanse(buf, sizeof(buf));
      ERR_clear_error();
    }
    return out;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("key type ", EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "?",
                   " is not supported (RSA, EC P-256/384/521, Ed25519, X25519 are)"));
}

}  // namespace tessera::identity::jose::internal
