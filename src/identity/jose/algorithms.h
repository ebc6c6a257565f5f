#pragma once
// The JOSE algorithm identifiers Tessera knows (RFC 7518, RFC 8037). Knowing an
// algorithm is not allowing it: allow-lists live in the verifier's policy.
#include <optional>
#include <string_view>

namespace tessera::identity::jose {

enum class Algorithm {
  // JWS (RFC 7518 §3, RFC 8037 §3.1)
  kHS256, kHS384, kHS512,
  kRS256, kRS384, kRS512,
  kPS256, kPS384, kPS512,
  kES256, kES384, kES512,
  kEdDSA,
  // JWE key management (RFC 7518 §4)
  kDir,
  kA128KW, kA192KW, kA256KW,
  kA128GCMKW, kA192GCMKW, kA256GCMKW,
  kRsaOaep, kRsaOaep256, kRsa1_5,
  kEcdhEs, kEcdhEsA128KW, kEcdhEsA192KW, kEcdhEsA256KW,
  kPbes2Hs256A128KW, kPbes2Hs384A192KW, kPbes2Hs512A256KW,
};

// JWE content encryption (RFC 7518 §5).
enum class ContentEncryption {
  kA128GCM, kA192GCM, kA256GCM,
  kA128CbcHs256, kA192CbcHs384, kA256CbcHs512,
};

// Exact, case-sensitive names ("none" and "None" are not algorithms here).
std::optional<Algorithm> AlgorithmFromName(std::string_view name);
std::string_view AlgorithmName(Algorithm alg);
std::optional<ContentEncryption> ContentEncryptionFromName(std::string_view name);
std::string_view ContentEncryptionName(ContentEncryption enc);

bool IsSigningAlgorithm(Algorithm alg);      // HS*, RS*, PS*, ES*, EdDSA
bool IsKeyManagementAlgorithm(Algorithm alg);  // everything else

}  // namespace tessera::identity::jose
