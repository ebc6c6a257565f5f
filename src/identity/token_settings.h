#pragma once
// The token settings as configured (tessera.yaml / .env / environment), as
// plain text and numbers. config/ fills this; BuildTokenPolicy turns it into
// keys and rules, refusing weak or contradictory configuration at start-up.
#include <cstdint>
#include <string>
#include <vector>

#include "identity/issuer_config.h"

namespace tessera::identity {

struct TokenSettings {
  std::string api_secret;  // CUBEJS_API_SECRET: HMAC key (HS256/384/512)
  std::string jwt_key;     // CUBEJS_JWT_KEY: PEM, JWK or JWK Set; replaces the secret when set
  // CUBEJS_JWK_URL: an identity provider's JWK Set (https, or http to
  // loopback); its keys are fetched, cached per Cache-Control and refreshed.
  // Replaces CUBEJS_API_SECRET, like CUBEJS_JWT_KEY (which may be given too).
  std::string jwk_url;
  std::string jwt_algs;    // CUBEJS_JWT_ALGS: comma list; empty = the configured keys' algorithms
  std::string audience;    // CUBEJS_JWT_AUDIENCE: comma list; token's aud must contain one
  std::string issuer;      // CUBEJS_JWT_ISSUER: comma list; token's iss must equal one
  std::string subject;     // CUBEJS_JWT_SUBJECT: token's sub must equal it
  // CUBEJS_JWT_CLAIMS_NAMESPACE: when set, the claims under this key (an
  // object, e.g. "http://localhost:3000" as an Auth0 rule writes them) are the
  // security context instead of the whole payload.
  std::string claims_namespace;
  int64_t leeway_seconds = 60;   // TESSERA_JWT_LEEWAY_SECONDS
  bool require_exp = true;       // TESSERA_JWT_REQUIRE_EXP
  int64_t max_token_bytes = 8192;  // TESSERA_JWT_MAX_BYTES
  std::string jwe_key;           // TESSERA_JWE_KEY: decryption key (PEM, JWK, JWK Set, or raw secret)
  std::string jwe_algs;          // TESSERA_JWE_ALGS: key management allow-list
  std::string jwe_encs = "A256GCM,A128CBC-HS256";  // TESSERA_JWE_ENCS
  bool jwe_required = false;     // TESSERA_JWE_REQUIRED: refuse tokens that are not encrypted
  bool jwe_allow_rsa1_5 = false;       // TESSERA_JWE_ALLOW_RSA1_5
  bool jwe_allow_pbes2 = false;        // TESSERA_JWE_ALLOW_PBES2
  bool jwe_allow_compression = false;  // TESSERA_JWE_ALLOW_COMPRESSION
  int64_t cache_entries = 10000;       // TESSERA_TOKEN_CACHE_ENTRIES (0: no cache)
  std::vector<IssuerConfig> issuers;   // tessera.yaml `issuers:`
  std::string roles_claim = "role";    // TESSERA_ROLES_CLAIM, where issuers' roles go
};

}  // namespace tessera::identity
