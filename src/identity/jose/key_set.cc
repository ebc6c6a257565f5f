// Binding keys to exactly one algorithm each (RFC 8725 §3.1) and choosing the
// candidate keys for a token's (alg, kid).
#include "identity/jose/key_set.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "base/absl_compat.h"

namespace tessera::identity::jose {
namespace {

using ::tessera::AsAbsl;

std::string KeyLabel(const Jwk& key, std::size_t index) {
  return key.kid.empty() ? absl::StrCat("key #", index) : absl::StrCat("key \"", key.kid, "\"");
}

bool Allowed(std::span<const Algorithm> allowed, Algorithm alg) {
  return std::find(allowed.begin(), allowed.end(), alg) != allowed.end();
}

bool IsRsaSigning(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRS256: case Algorithm::kRS384: case Algorithm::kRS512:
    case Algorithm::kPS256: case Algorithm::kPS384: case Algorithm::kPS512:
      return true;
    default:
      return false;
  }
}

// The algorithms `key` (without its own "alg") binds to, or an error why none.
absl::StatusOr<std::vector<Algorithm>> ImpliedAlgorithms(const Jwk& key, std::span<const Algorithm> allowed,
                                                         const std::string& label) {
  std::vector<Algorithm> out;
  switch (key.type) {
    case KeyType::kEc:
      if (key.crv == "P-256") out.push_back(Algorithm::kES256);
      if (key.crv == "P-384") out.push_back(Algorithm::kES384);
      if (key.crv == "P-521") out.push_back(Algorithm::kES512);
      break;
    case KeyType::kOkp:
      if (key.crv == "Ed25519") out.push_back(Algorithm::kEdDSA);
      break;
    case KeyType::kRsa: {
      std::vector<Algorithm> rsa;
      for (Algorithm a : allowed) {
        if (IsRsaSigning(a) && std::find(rsa.begin(), rsa.end(), a) == rsa.end()) rsa.push_back(a);
      }
      if (rsa.size() > 1) {
        // One RSA key must not verify both PKCS#1 v1.5 and PSS, or several
        // hashes: the operator must say which by giving the key an "alg".
        return absl::InvalidArgumentError(absl::StrCat(
            label, " is an RSA key without \"alg\" and the allow-list holds several RSA algorithms; "
                   "give the key an \"alg\""));
      }
      out.push_back(rsa.empty() ? Algorithm::kRS256 : rsa.front());
      break;
    }
    case KeyType::kOct:
      // A bare secret verifies each allowed HMAC whose hash size it reaches.
      for (Algorithm a : {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512}) {
        if (Allowed(allowed, a) && CheckKeyFitsAlgorithm(key, a).ok()) out.push_back(a);
      }
      if (out.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            label, " is a ", key.secret.size(),
            "-byte secret: no allowed HMAC algorithm accepts it (HS256 needs 32 bytes, HS384 48, HS512 64)"));
      }
      break;
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(label, " (", key.crv, ") cannot sign"));
  }
  return out;
}

absl::StatusOr<std::vector<Algorithm>> BindOne(const Jwk& key, std::span<const Algorithm> allowed,
                                               const std::string& label) {
  std::vector<Algorithm> algs;
  if (key.alg.has_value()) {
    if (!IsSigningAlgorithm(*key.alg)) {
      return absl::InvalidArgumentError(absl::StrCat(label, " is for ", AsAbsl(AlgorithmName(*key.alg)),
                                                     ", not a signature algorithm"));
    }
    algs.push_back(*key.alg);
  } else {
    if (key.use == "enc") {
      return absl::InvalidArgumentError(absl::StrCat(label, " has use \"enc\": not a signing key"));
    }
    absl::StatusOr<std::vector<Algorithm>> implied = ImpliedAlgorithms(key, allowed, label);
    if (!implied.ok()) return implied.status();
    algs = std::move(*implied);
  }
  for (Algorithm a : algs) {
    if (!Allowed(allowed, a)) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, " binds to ", AsAbsl(AlgorithmName(a)), ", which the allow-list does not hold"));
    }
    if (absl::Status s = CheckKeyFitsAlgorithm(key, a); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": ", std::string(s.message())));
    }
  }
  return algs;
}

}  // namespace

absl::StatusOr<std::vector<BoundKey>> BindSigningKeys(std::span<const Jwk> keys,
                                                      std::span<const Algorithm> allowed,
                                                      const BindOptions& options) {
  std::vector<BoundKey> out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string label = KeyLabel(keys[i], i);
    absl::StatusOr<std::vector<Algorithm>> algs = BindOne(keys[i], allowed, label);
    if (!algs.ok()) {
      if (options.strict) return algs.status();
      continue;
    }
    for (Algorithm a : *algs) out.push_back(BoundKey{a, keys[i]});
  }
  return out;
}

std::vector<const BoundKey*> CandidateKeys(std::span<const BoundKey> keys, Algorithm alg,
                                           std::string_view kid) {
  std::vector<const BoundKey*> out;
  for (const BoundKey& key : keys) {
    if (key.alg != alg) continue;
    // A token naming a kid selects the key with that kid; a key configured
    // without a kid (e.g. one shared secret) does not contradict any kid.
    if (!kid.empty() && !key.key.kid.empty() && key.key.kid != kid) continue;
    out.push_back(&key);
  }
  return out;
}

}  // namespace tessera::identity::jose
