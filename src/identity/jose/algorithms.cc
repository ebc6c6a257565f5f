// Name <-> enum tables for the JOSE algorithm registry. Lookup is exact and
// case-sensitive: "none" (in any spelling) is never an algorithm here.
#include "identity/jose/algorithms.h"

#include <array>
#include <utility>

namespace tessera::identity::jose {
namespace {

constexpr std::array<std::pair<Algorithm, std::string_view>, 30> kAlgorithms{{
    {Algorithm::kHS256, "HS256"},
    {Algorithm::kHS384, "HS384"},
    {Algorithm::kHS512, "HS512"},
    {Algorithm::kRS256, "RS256"},
    {Algorithm::kRS384, "RS384"},
    {Algorithm::kRS512, "RS512"},
    {Algorithm::kPS256, "PS256"},
    {Algorithm::kPS384, "PS384"},
    {Algorithm::kPS512, "PS512"},
    {Algorithm::kES256, "ES256"},
    {Algorithm::kES384, "ES384"},
    {Algorithm::kES512, "ES512"},
    {Algorithm::kEdDSA, "EdDSA"},
    {Algorithm::kDir, "dir"},
    {Algorithm::kA128KW, "A128KW"},
    {Algorithm::kA192KW, "A192KW"},
    {Algorithm::kA256KW, "A256KW"},
    {Algorithm::kA128GCMKW, "A128GCMKW"},
    {Algorithm::kA192GCMKW, "A192GCMKW"},
    {Algorithm::kA256GCMKW, "A256GCMKW"},
    {Algorithm::kRsaOaep, "RSA-OAEP"},
    {Algorithm::kRsaOaep256, "RSA-OAEP-256"},
    {Algorithm::kRsa1_5, "RSA1_5"},
    {Algorithm::kEcdhEs, "ECDH-ES"},
    {Algorithm::kEcdhEsA128KW, "ECDH-ES+A128KW"},
    {Algorithm::kEcdhEsA192KW, "ECDH-ES+A192KW"},
    {Algorithm::kEcdhEsA256KW, "ECDH-ES+A256KW"},
    {Algorithm::kPbes2Hs256A128KW, "PBES2-HS256+A128KW"},
    {Algorithm::kPbes2Hs384A192KW, "PBES2-HS384+A192KW"},
    {Algorithm::kPbes2Hs512A256KW, "PBES2-HS512+A256KW"},
}};

constexpr std::array<std::pair<ContentEncryption, std::string_view>, 6> kEncryptions{{
    {ContentEncryption::kA128GCM, "A128GCM"},
    {ContentEncryption::kA192GCM, "A192GCM"},
    {ContentEncryption::kA256GCM, "A256GCM"},
    {ContentEncryption::kA128CbcHs256, "A128CBC-HS256"},
    {ContentEncryption::kA192CbcHs384, "A192CBC-HS384"},
    {ContentEncryption::kA256CbcHs512, "A256CBC-HS512"},
}};

}  // namespace

std::optional<Algorithm> AlgorithmFromName(std::string_view name) {
  for (const auto& [alg, n] : kAlgorithms) {
    if (n == name) return alg;
  }
  return std::nullopt;
}

std::string_view AlgorithmName(Algorithm alg) {
  for (const auto& [a, n] : kAlgorithms) {
    if (a == alg) return n;
  }
  return "unknown";
}

std::optional<ContentEncryption> ContentEncryptionFromName(std::string_view name) {
  for (const auto& [enc, n] : kEncryptions) {
    if (n == name) return enc;
  }
  return std::nullopt;
}

std::string_view ContentEncryptionName(ContentEncryption enc) {
  for (const auto& [e, n] : kEncryptions) {
    if (e == enc) return n;
  }
  return "unknown";
}

bool IsSigningAlgorithm(Algorithm alg) {
  switch (alg) {
    case Algorithm::kHS256: case Algorithm::kHS384: case Algorithm::kHS512:
    case Algorithm::kRS256: case Algorithm::kRS384: case Algorithm::kRS512:
    case Algorithm::kPS256: case Algorithm::kPS384: case Algorithm::kPS512:
    case Algorithm::kES256: case Algorithm::kES384: case Algorithm::kES512:
    case Algorithm::kEdDSA:
      return true;
    default:
      return false;
  }
}

bool IsKeyManagementAlgorithm(Algorithm alg) { return !IsSigningAlgorithm(alg); }

}  // namespace tessera::identity::jose
