#include "cli/token_minter.h"

#include <cctype>
#include <cmath>

#include "absl/strings/str_cat.h"
#include <boost/json/serialize.hpp>

#include "base/absl_compat.h"
#include "base/status_macros.h"
#include "identity/jose/jwe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/jws.h"

namespace tessera::cli {
namespace {

namespace json = boost::json;
namespace jose = identity::jose;
using jose::Algorithm;
using jose::KeyType;

absl::StatusOr<jose::Jwk> SingleKey(std::string_view text, std::string_view what) {
  TESSERA_ASSIGN_OR_RETURN(std::vector<jose::Jwk> keys, jose::ParseKeyMaterial(text));
  if (keys.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), " must hold exactly one key, not ", keys.size()));
  }
  return keys.front();
}

absl::StatusOr<Algorithm> NamedAlgorithm(std::string_view name) {
  std::optional<Algorithm> alg = jose::AlgorithmFromName(name);
  if (!alg) return absl::InvalidArgumentError(absl::StrCat("unknown algorithm '", std::string(name), "'"));
  return *alg;
}

Algorithm NaturalSigningAlgorithm(const jose::Jwk& key) {
  if (key.alg && jose::IsSigningAlgorithm(*key.alg)) return *key.alg;
  switch (key.type) {
    case KeyType::kRsa: return Algorithm::kRS256;
    case KeyType::kEc:
      return key.crv == "P-256" ? Algorithm::kES256 : key.crv == "P-384" ? Algorithm::kES384 : Algorithm::kES512;
    case KeyType::kOkp: return Algorithm::kEdDSA;
    case KeyType::kOct: break;
  }
  return Algorithm::kHS256;
}

Algorithm NaturalKeyManagement(const jose::Jwk& key) {
  if (key.alg && jose::IsKeyManagementAlgorithm(*key.alg)) return *key.alg;
  switch (key.type) {
    case KeyType::kRsa: return Algorithm::kRsaOaep256;
    case KeyType::kEc:
    case KeyType::kOkp: return Algorithm::kEcdhEsA256KW;
    case KeyType::kOct: break;
  }
  return key.secret.size() == 32 ? Algorithm::kDir : Algorithm::kA256KW;
}

}  // namespace

absl::StatusOr<int64_t> ParseExpiry(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == start) return absl::InvalidArgumentError(absl::StrCat("expiry '", std::string(text), "' does not start with a number"));
  double amount = std::stod(std::string(text.substr(start, i - start)));
  while (i < text.size() && text[i] == ' ') ++i;
  std::string unit;
  for (char c : text.substr(i)) unit.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!unit.empty() && unit.back() == ' ') unit.pop_back();
  double scale = 0;
  if (unit.empty() || unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") scale = 1;
  else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") scale = 60;
  else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") scale = 3600;
  else if (unit == "d" || unit == "day" || unit == "days") scale = 86400;
  else if (unit == "w" || unit == "week" || unit == "weeks") scale = 7 * 86400;
  else if (unit == "y" || unit == "yr" || unit == "yrs" || unit == "year" || unit == "years") scale = 365.25 * 86400;
  else return absl::InvalidArgumentError(absl::StrCat("unknown expiry unit '", unit, "'"));
  double seconds = amount * scale;
  if (!std::isfinite(seconds) || seconds > 100.0 * 365.25 * 86400) {
    return absl::InvalidArgumentError("expiry is longer than 100 years");
  }
  return static_cast<int64_t>(std::llround(seconds));
}

absl::Status AddPayloadPair(std::string_view pair, json::object& claims) {
  size_t eq = pair.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return absl::InvalidArgumentError(absl::StrCat("payload '", std::string(pair), "' is not key=value"));
  }
  claims[json::string_view(pair.data(), eq)] = json::string_view(pair.data() + eq + 1, pair.size() - eq - 1);
  return absl::OkStatus();
}

absl::StatusOr<MintedToken> MintToken(const MintOptions& options) {
  jose::Jwk signing_key;
  if (!options.key.empty()) {
    TESSERA_ASSIGN_OR_RETURN(signing_key, SingleKey(options.key, "--key"));
    if (signing_key.type != KeyType::kOct && !signing_key.is_private) {
      return absl::InvalidArgumentError("--key must be a private key to sign with");
    }
  } else if (!options.secret.empty()) {
    signing_key = jose::SecretJwk(options.secret);
  } else {
    return absl::InvalidArgumentError("no secret: pass --secret or set CUBEJS_API_SECRET (or --key)");
  }
  Algorithm alg = NaturalSigningAlgorithm(signing_key);
  if (!options.alg.empty()) {
    TESSERA_ASSIGN_OR_RETURN(alg, NamedAlgorithm(options.alg));
  }
  if (!jose::IsSigningAlgorithm(alg)) {
    return absl::InvalidArgumentError(absl::StrCat("'", AsAbsl(jose::AlgorithmName(alg)), "' is not a signature algorithm"));
  }
  TESSERA_RETURN_IF_ERROR(jose::CheckKeyFitsAlgorithm(signing_key, alg));

  MintedToken minted;
  minted.payload = options.claims;
  if (!minted.payload.contains("iat")) minted.payload["iat"] = options.now_seconds;
  if (options.expiry_seconds > 0 && !minted.payload.contains("exp")) {
    minted.payload["exp"] = options.now_seconds + options.expiry_seconds;
  }
  json::object header;
  header["typ"] = "JWT";
  if (!options.kid.empty()) header["kid"] = options.kid;
  TESSERA_ASSIGN_OR_RETURN(std::string jws, jose::SignCompactJws(alg, signing_key, header,
                                                                 json::serialize(minted.payload)));
  if (options.encrypt_to.empty()) {
    minted.token = std::move(jws);
    return minted;
  }
  jose::Jwk recipient;
  if (jose::LooksLikeKeyDocument(options.encrypt_to)) {
    TESSERA_ASSIGN_OR_RETURN(recipient, SingleKey(options.encrypt_to, "--encrypt-to"));
  } else {
    recipient = jose::SecretJwk(options.encrypt_to);
  }
  Algorithm key_management = NaturalKeyManagement(recipient);
  if (!options.encrypt_alg.empty()) {
    TESSERA_ASSIGN_OR_RETURN(key_management, NamedAlgorithm(options.encrypt_alg));
  }
  std::optional<jose::ContentEncryption> enc = jose::ContentEncryptionFromName(options.encrypt_enc);
  if (!enc) return absl::InvalidArgumentError(absl::StrCat("unknown content encryption '", options.encrypt_enc, "'"));
  json::object jwe_header;
  jwe_header["cty"] = "JWT";  // RFC 7519 §5.2: the content is itself a JWT
  if (!recipient.kid.empty()) jwe_header["kid"] = recipient.kid;
  TESSERA_ASSIGN_OR_RETURN(minted.token,
                           jose::EncryptCompactJwe(key_management, *enc, recipient, jwe_header, jws));
  return minted;
}

}  // namespace tessera::cli
