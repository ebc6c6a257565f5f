#include "identity/token_policy.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "base/absl_compat.h"
#include "base/status_macros.h"

namespace tessera::identity {
namespace {

using jose::Algorithm;
using jose::ContentEncryption;
using jose::Jwk;
using jose::KeyType;

absl::Status ConfigError(std::string message) { return absl::InvalidArgumentError(message); }

// PEM keys pasted into a one-line environment variable usually arrive with
// literal "\n" sequences; turn them back into line breaks.
std::string NormalizePem(std::string_view text) {
  std::string out(text);
  if (out.find("-----BEGIN") == std::string::npos || out.find('\n') != std::string::npos) return out;
  std::string fixed;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\\' && i + 1 < out.size() && out[i + 1] == 'n') {
      fixed.push_back('\n');
      ++i;
    } else {
      fixed.push_back(out[i]);
    }
  }
  return fixed;
}

// A secret made of one repeated byte (all zeros, "aaaa...") is a placeholder,
// not a key: its length says nothing about its strength.
absl::Status CheckSecretVariety(std::string_view secret, const std::string& origin) {
  if (secret.size() > 1 && secret.find_first_not_of(secret.front()) == std::string_view::npos) {
    return ConfigError(absl::StrCat(origin, " is one byte repeated; use a random key (`openssl rand -hex 32`)"));
  }
  return absl::OkStatus();
}

size_t HmacKeyBytes(Algorithm alg) {
  return alg == Algorithm::kHS256 ? 32 : alg == Algorithm::kHS384 ? 48 : 64;
}

// The algorithms a key verifies when CUBEJS_JWT_ALGS is not set.
absl::StatusOr<std::vector<Algorithm>> DefaultSigningAlgorithms(const Jwk& key, const std::string& origin) {
  if (key.alg) {
    if (!jose::IsSigningAlgorithm(*key.alg)) {
      return ConfigError(absl::StrCat(origin, ": key '", key.kid, "' is for ",
                                      AsAbsl(jose::AlgorithmName(*key.alg)), ", not for signatures"));
    }
    return std::vector<Algorithm>{*key.alg};
  }
  switch (key.type) {
    case KeyType::kRsa:
      return std::vector<Algorithm>{Algorithm::kRS256};
    case KeyType::kEc:
      if (key.crv == "P-256") return std::vector<Algorithm>{Algorithm::kES256};
      if (key.crv == "P-384") return std::vector<Algorithm>{Algorithm::kES384};
      return std::vector<Algorithm>{Algorithm::kES512};
    case KeyType::kOkp:
      if (key.crv == "Ed25519") return std::vector<Algorithm>{Algorithm::kEdDSA};
      return ConfigError(absl::StrCat(origin, ": an ", key.crv, " key cannot verify signatures"));
    case KeyType::kOct: {
      std::vector<Algorithm> algs;
      for (Algorithm a : {Algorithm::kHS256, Algorithm::kHS384, Algorithm::kHS512}) {
        if (key.secret.size() >= HmacKeyBytes(a)) algs.push_back(a);
      }
      if (algs.empty()) {
        return ConfigError(absl::StrCat(
            origin, " is ", key.secret.size(),
            " bytes; HS256 needs a key of at least 32 bytes (RFC 7518 §3.2). Generate one with "
            "`openssl rand -hex 32` (or `tessera init`)"));
      }
      return algs;
    }
  }
  return ConfigError("unknown key type");
}

// The key-management algorithms a decryption key accepts when
// TESSERA_JWE_ALGS is not set. RSA1_5 and PBES2 are never defaults.
std::vector<Algorithm> DefaultKeyManagement(const Jwk& key) {
  if (key.alg) return {*key.alg};
  switch (key.type) {
    case KeyType::kRsa:
      return {Algorithm::kRsaOaep256, Algorithm::kRsaOaep};
    case KeyType::kEc:
    case KeyType::kOkp:
      return {Algorithm::kEcdhEs, Algorithm::kEcdhEsA128KW, Algorithm::kEcdhEsA192KW,
              Algorithm::kEcdhEsA256KW};
    case KeyType::kOct:
      switch (key.secret.size()) {
        case 16: return {Algorithm::kDir, Algorithm::kA128KW, Algorithm::kA128GCMKW};
        case 24: return {Algorithm::kDir, Algorithm::kA192KW, Algorithm::kA192GCMKW};
        case 32: return {Algorithm::kDir, Algorithm::kA256KW, Algorithm::kA256GCMKW};
        default: return {Algorithm::kDir};
      }
  }
  return {};
}

absl::StatusOr<std::vector<Algorithm>> ParseAlgorithmList(std::string_view text, bool signing,
                                                          const std::string& variable) {
  std::vector<Algorithm> out;
  for (const std::string& name : SplitList(text)) {
    std::optional<Algorithm> alg = jose::AlgorithmFromName(name);
    if (!alg) {
      std::string lower;
      for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (lower == "none") return ConfigError(absl::StrCat(variable, ": 'none' is never accepted"));
      return ConfigError(absl::StrCat(variable, ": unknown algorithm '", name, "'"));
    }
    if (jose::IsSigningAlgorithm(*alg) != signing) {
      return ConfigError(absl::StrCat(variable, ": '", name, "' is ",
                                      signing ? "a key-management algorithm, not a signature algorithm"
                                              : "a signature algorithm, not a key-management algorithm"));
    }
    out.push_back(*alg);
  }
  return out;
}

absl::StatusOr<std::vector<Jwk>> ReadKeys(std::string_view text, const std::string& variable) {
  absl::StatusOr<std::vector<Jwk>> keys = jose::ParseKeyMaterial(NormalizePem(text));
  if (!keys.ok()) {
    return ConfigError(absl::StrCat(variable, ": ", std::string(keys.status().message())));
  }
  if (keys->empty()) return ConfigError(absl::StrCat(variable, " holds no key"));
  return keys;
}

// Every algorithm a published (public) key may verify.
std::vector<Algorithm> AsymmetricAlgorithms() {
  return {Algorithm::kRS256, Algorithm::kRS384, Algorithm::kRS512, Algorithm::kPS256, Algorithm::kPS384,
          Algorithm::kPS512, Algorithm::kES256, Algorithm::kES384, Algorithm::kES512, Algorithm::kEdDSA};
}

// CUBEJS_JWK_URL: a cache of the provider's keys, bound to the asymmetric
// algorithms allowed (an HMAC key must never come from a published set).
absl::Status AddRemoteKeys(const TokenSettings& settings, const std::vector<Algorithm>& explicit_algs,
                           std::shared_ptr<KeySetFetcher> fetcher, TokenPolicy& policy) {
  if (absl::Status ok = CheckFetchUrl(settings.jwk_url); !ok.ok()) {
    return ConfigError(absl::StrCat("CUBEJS_JWK_URL: ", std::string(ok.message())));
  }
  std::vector<Algorithm> allowed;
  for (Algorithm a : explicit_algs) {
    if (a == Algorithm::kHS256 || a == Algorithm::kHS384 || a == Algorithm::kHS512) {
      if (settings.jwt_key.empty()) {
        return ConfigError(absl::StrCat("CUBEJS_JWT_ALGS: ", AsAbsl(jose::AlgorithmName(a)),
                                        " cannot verify with keys from CUBEJS_JWK_URL (a published key set is "
                                        "public: an HMAC key from it would let anyone sign)"));
      }
      continue;
    }
    allowed.push_back(a);
  }
  if (explicit_algs.empty()) allowed = AsymmetricAlgorithms();
  JwksCacheOptions options;
  options.url = settings.jwk_url;
  options.allowed = std::move(allowed);
  options.label = settings.jwk_url;
  policy.remote_keys = std::make_shared<JwksCache>(std::move(options), fetcher ? std::move(fetcher) : MakeCurlFetcher());
  return absl::OkStatus();
}

absl::Status AddSigningKeys(const TokenSettings& settings, std::shared_ptr<KeySetFetcher> fetcher,
                            TokenPolicy& policy) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<Algorithm> explicit_algs,
                           ParseAlgorithmList(settings.jwt_algs, true, "CUBEJS_JWT_ALGS"));
  if (!settings.jwk_url.empty()) {
    TESSERA_RETURN_IF_ERROR(AddRemoteKeys(settings, explicit_algs, std::move(fetcher), policy));
    // Like CUBEJS_JWT_KEY, a key set replaces the shared secret.
    if (settings.jwt_key.empty()) return absl::OkStatus();
  }
  std::vector<Jwk> keys;
  std::string origin;
  if (!settings.jwt_key.empty()) {
    // Like Cube, CUBEJS_JWT_KEY replaces CUBEJS_API_SECRET for verification.
    origin = "CUBEJS_JWT_KEY";
    TESSERA_ASSIGN_OR_RETURN(keys, ReadKeys(settings.jwt_key, origin));
    for (const Jwk& k : keys) {
      if (k.type == KeyType::kOct) TESSERA_RETURN_IF_ERROR(CheckSecretVariety(k.secret, origin));
      if (k.type != KeyType::kOct && k.is_private) {
        return ConfigError(
            "CUBEJS_JWT_KEY holds a private key; configure only the public key (the server "
            "verifies tokens, it never needs to sign them)");
      }
    }
  } else if (!settings.api_secret.empty()) {
    origin = "CUBEJS_API_SECRET";
    TESSERA_RETURN_IF_ERROR(CheckSecretVariety(settings.api_secret, origin));
    keys.push_back(jose::SecretJwk(settings.api_secret));
  } else if (!settings.issuers.empty()) {
    return absl::OkStatus();  // only the issuers' tokens are accepted
  } else {
    return ConfigError(
        "no key to verify tokens: set CUBEJS_API_SECRET (shared secret), CUBEJS_JWT_KEY "
        "(public key, JWK or JWK Set), CUBEJS_JWK_URL (a provider's key set) or `issuers:` in tessera.yaml, or "
        "CUBEJS_DEV_MODE=true "
        "for an open development API");
  }
  for (const Jwk& key : keys) {
    std::vector<Algorithm> allowed = explicit_algs;
    if (allowed.empty()) {
      TESSERA_ASSIGN_OR_RETURN(allowed, DefaultSigningAlgorithms(key, origin));
    } else if (key.type == KeyType::kOct) {
      // An explicit HS algorithm the secret is too short for is a
      // configuration error, not a silently weaker key.
      for (Algorithm a : allowed) {
        if (jose::IsSigningAlgorithm(a) && HmacKeyBytes(a) > key.secret.size() &&
            (a == Algorithm::kHS256 || a == Algorithm::kHS384 || a == Algorithm::kHS512)) {
          return ConfigError(absl::StrCat(origin, " is ", key.secret.size(), " bytes; ",
                                          AsAbsl(jose::AlgorithmName(a)), " needs at least ",
                                          HmacKeyBytes(a), " (RFC 7518 §3.2)"));
        }
      }
    }
    absl::StatusOr<std::vector<jose::BoundKey>> bound = jose::BindSigningKeys(
        std::span<const Jwk>(&key, 1), allowed);
    if (!bound.ok()) return ConfigError(absl::StrCat(origin, ": ", std::string(bound.status().message())));
    if (bound->empty()) {
      return ConfigError(absl::StrCat(origin, ": no algorithm of CUBEJS_JWT_ALGS fits key '",
                                      key.kid, "'"));
    }
    for (jose::BoundKey& b : *bound) policy.signing_keys.push_back(std::move(b));
  }
  return absl::OkStatus();
}

// `issuers:`: one key cache and claim rules per provider. The reader has
// checked the fields; what is left is binding them.
absl::Status AddIssuers(const TokenSettings& settings, const std::shared_ptr<KeySetFetcher>& fetcher,
                        TokenPolicy& policy) {
  for (const IssuerConfig& c : settings.issuers) {
    auto issuer = std::make_shared<IssuerPolicy>();
    issuer->issuer = c.issuer;
    issuer->label = c.label;
    std::vector<Algorithm> allowed;
    for (const std::string& name : c.algorithms) {
      std::optional<Algorithm> alg = jose::AlgorithmFromName(name);
      if (!alg || !jose::IsSigningAlgorithm(*alg) || *alg == Algorithm::kHS256 || *alg == Algorithm::kHS384 ||
          *alg == Algorithm::kHS512) {
        return ConfigError(absl::StrCat(c.label, ": issuers: '", name, "' cannot verify with a published key"));
      }
      allowed.push_back(*alg);
    }
    if (allowed.empty()) allowed = AsymmetricAlgorithms();
    JwksCacheOptions options;
    options.url = c.jwks_uri;
    if (c.jwks_uri.empty()) options.discovery_issuer = c.issuer;
    options.allowed = std::move(allowed);
    options.min_ttl = std::chrono::seconds(c.min_ttl_seconds);
    options.max_ttl = std::chrono::seconds(c.max_ttl_seconds);
    options.default_ttl = std::clamp(options.default_ttl, options.min_ttl, options.max_ttl);
    options.unknown_kid_window = std::chrono::seconds(c.unknown_kid_window_seconds);
    options.stale_limit = std::chrono::seconds(c.stale_limit_seconds);
    options.label = c.issuer;
    FetchOptions fetch;
    fetch.total_timeout = std::chrono::milliseconds(c.fetch_timeout_ms);
    fetch.connect_timeout = std::min(fetch.connect_timeout, fetch.total_timeout);
    issuer->keys = std::make_shared<JwksCache>(std::move(options), fetcher ? fetcher : MakeCurlFetcher(fetch));
    issuer->claims = policy.claims;  // leeway and exp rules as configured for every token
    issuer->claims.issuers = {c.issuer};
    issuer->claims.audiences = c.audiences;
    issuer->claims.subject.clear();
    issuer->claims.token_use = c.token_use;
    issuer->claims.client_ids = c.client_ids;
    // CUBEJS_JWT_CLAIMS_NAMESPACE applies unless the issuer names its own.
    issuer->claims_namespace = c.claims_namespace.empty() ? settings.claims_namespace : c.claims_namespace;
    issuer->roles_claim = c.roles_claim;
    if (!c.tenants.empty()) issuer->tenants = std::make_shared<const std::vector<std::string>>(c.tenants);
    policy.issuers.push_back(std::move(issuer));
  }
  policy.context_roles_claim = settings.roles_claim;
  return absl::OkStatus();
}

absl::Status AddDecryptionKeys(const TokenSettings& settings, TokenPolicy& policy) {
  if (settings.jwe_key.empty()) {
    if (settings.jwe_required) {
      return ConfigError("TESSERA_JWE_REQUIRED is true but no TESSERA_JWE_KEY is configured");
    }
    return absl::OkStatus();
  }
  std::vector<Jwk> keys;
  if (jose::LooksLikeKeyDocument(settings.jwe_key)) {
    TESSERA_ASSIGN_OR_RETURN(keys, ReadKeys(settings.jwe_key, "TESSERA_JWE_KEY"));
  } else {
    TESSERA_RETURN_IF_ERROR(CheckSecretVariety(settings.jwe_key, "TESSERA_JWE_KEY"));
    keys.push_back(jose::SecretJwk(settings.jwe_key));
  }
  for (const Jwk& k : keys) {
    if (!k.is_private) {
      return ConfigError("TESSERA_JWE_KEY must be a private key (or a shared secret): decryption needs it");
    }
  }
  TESSERA_ASSIGN_OR_RETURN(std::vector<Algorithm> algs,
                           ParseAlgorithmList(settings.jwe_algs, false, "TESSERA_JWE_ALGS"));
  std::set<Algorithm> allowed(algs.begin(), algs.end());
  if (allowed.empty()) {
    for (const Jwk& k : keys) {
      for (Algorithm a : DefaultKeyManagement(k)) allowed.insert(a);
    }
  }
  for (Algorithm a : allowed) {
    if (a == Algorithm::kRsa1_5 && !settings.jwe_allow_rsa1_5) {
      return ConfigError("TESSERA_JWE_ALGS lists RSA1_5, which is refused unless TESSERA_JWE_ALLOW_RSA1_5=true");
    }
    bool pbes2 = a == Algorithm::kPbes2Hs256A128KW || a == Algorithm::kPbes2Hs384A192KW ||
                 a == Algorithm::kPbes2Hs512A256KW;
    if (pbes2 && !settings.jwe_allow_pbes2) {
      return ConfigError(absl::StrCat("TESSERA_JWE_ALGS lists ", AsAbsl(jose::AlgorithmName(a)),
                                      ", which is refused unless TESSERA_JWE_ALLOW_PBES2=true"));
    }
  }
  for (const Jwk& k : keys) {
    bool usable = false;
    for (Algorithm a : allowed) usable = usable || jose::CheckKeyFitsAlgorithm(k, a).ok();
    if (!usable) {
      return ConfigError(absl::StrCat("TESSERA_JWE_KEY: key '", k.kid,
                                      "' fits none of the allowed key-management algorithms"));
    }
  }
  std::set<ContentEncryption> encs;
  for (const std::string& name : SplitList(settings.jwe_encs)) {
    std::optional<ContentEncryption> enc = jose::ContentEncryptionFromName(name);
    if (!enc) return ConfigError(absl::StrCat("TESSERA_JWE_ENCS: unknown content encryption '", name, "'"));
    encs.insert(*enc);
  }
  if (encs.empty()) return ConfigError("TESSERA_JWE_ENCS is empty");
  policy.decryption_keys = std::move(keys);
  policy.jwe.allowed_algs = std::move(allowed);
  policy.jwe.allowed_encs = std::move(encs);
  policy.jwe.allow_rsa1_5 = settings.jwe_allow_rsa1_5;
  policy.jwe.allow_pbes2 = settings.jwe_allow_pbes2;
  policy.jwe.allow_compression = settings.jwe_allow_compression;
  policy.jwe.max_token_bytes = policy.max_token_bytes;
  policy.require_encryption = settings.jwe_required;
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

absl::StatusOr<TokenPolicy> BuildTokenPolicy(const TokenSettings& settings,
                                             std::shared_ptr<KeySetFetcher> fetcher) {
  TokenPolicy policy;
  if (settings.leeway_seconds < 0 || settings.leeway_seconds > 3600) {
    return ConfigError("TESSERA_JWT_LEEWAY_SECONDS must be between 0 and 3600");
  }
  policy.claims.leeway = std::chrono::seconds(settings.leeway_seconds);
  policy.claims.require_exp = settings.require_exp;
  policy.claims.audiences = SplitList(settings.audience);
  policy.claims.issuers = SplitList(settings.issuer);
  policy.claims.subject = settings.subject;
  policy.max_token_bytes = static_cast<size_t>(settings.max_token_bytes);
  policy.cache_entries = static_cast<size_t>(settings.cache_entries);
  policy.claims_namespace = settings.claims_namespace;
  TESSERA_RETURN_IF_ERROR(AddIssuers(settings, fetcher, policy));
  TESSERA_RETURN_IF_ERROR(AddSigningKeys(settings, std::move(fetcher), policy));
  TESSERA_RETURN_IF_ERROR(AddDecryptionKeys(settings, policy));
  return policy;
}

}  // namespace tessera::identity
