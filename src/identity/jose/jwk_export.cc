// The public half of a key as a JWK, and its RFC 7638 thumbprint.
#include <openssl/evp.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/status_macros.h"
#include "identity/jose/base64url.h"
#include "identity/jose/jwe_crypto.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jwk_internal.h"

namespace tessera::identity::jose {
namespace {

namespace bj = boost::json;

std::string MemberString(const bj::object& o, const char* name) {
  const bj::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->as_string().data(), v->as_string().size());
}

}  // namespace

absl::StatusOr<bj::object> PublicJwk(const Jwk& key) {
  if (key.type == KeyType::kOct) {
    return absl::InvalidArgumentError("a symmetric (oct) key has no public half");
  }
  if (!key.pkey) return absl::InvalidArgumentError("key has no key material");
  TESSERA_ASSIGN_OR_RETURN(bj::object out,
                           internal::PkeyToJwkMembers(key.pkey.get(), /*include_private=*/false));
  if (!key.kid.empty()) out["kid"] = key.kid;
  if (key.alg.has_value()) out["alg"] = AlgorithmName(*key.alg);
  if (!key.use.empty()) out["use"] = key.use;
  return out;
}

absl::StatusOr<std::string> JwkThumbprint(const Jwk& key) {
  // RFC 7638 §3.2: only the required members, in lexicographic order, with no
  // whitespace. All values are base64url or fixed ASCII names, so no escaping.
  std::string canonical;
  if (key.type == KeyType::kOct) {
    canonical = absl::StrCat("{\"k\":\"", EncodeBase64Url(key.secret), "\",\"kty\":\"oct\"}");
  } else {
    if (!key.pkey) return absl::InvalidArgumentError("key has no key material");
    TESSERA_ASSIGN_OR_RETURN(bj::object m, internal::PkeyToJwkMembers(key.pkey.get(), false));
    switch (key.type) {
      case KeyType::kRsa:
        canonical = absl::StrCat("{\"e\":\"", MemberString(m, "e"), "\",\"kty\":\"RSA\",\"n\":\"",
                                 MemberString(m, "n"), "\"}");
        break;
      case KeyType::kEc:
        canonical = absl::StrCat("{\"crv\":\"", MemberString(m, "crv"), "\",\"kty\":\"EC\",\"x\":\"",
                                 MemberString(m, "x"), "\",\"y\":\"", MemberString(m, "y"), "\"}");
        break;
      case KeyType::kOkp:
        canonical = absl::StrCat("{\"crv\":\"", MemberString(m, "crv"), "\",\"kty\":\"OKP\",\"x\":\"",
                                 MemberString(m, "x"), "\"}");
        break;
      case KeyType::kOct:
        break;
    }
  }
  std::string digest = crypto::Sha256(canonical);
  if (digest.empty()) return absl::InternalError(absl::StrCat("SHA-256 failed: ", internal::OpenSslErrors()));
  return EncodeBase64Url(digest);
}

}  // namespace tessera::identity::jose
