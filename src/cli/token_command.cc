// `tessera token`: mint a token for the API, like `cubejs-cli token`.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <boost/json/serialize.hpp>

#include "cli/commands.h"
#include "cli/token_minter.h"
#include "config/settings.h"
#include "identity/jose/jwk.h"
#include "identity/jose/strict_json.h"

namespace tessera::cli {
namespace {

// A key argument is a path when such a file exists, else the key text itself
// (PEM or JWK) or, for --encrypt-to, a shared secret.
absl::StatusOr<std::string> KeyArgument(const std::string& value) {
  std::error_code ec;
  if (value.empty() || identity::jose::LooksLikeKeyDocument(value) ||
      !std::filesystem::is_regular_file(value, ec)) {
    return value;
  }
  std::ifstream in(value, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return absl::InvalidArgumentError("cannot read " + value);
  return text.str();
}

}  // namespace

int RunToken(const std::string& working_dir, const TokenCommandArgs& args, std::ostream& out,
             std::ostream& err) {
  MintOptions options;
  options.secret = args.secret;
  if (options.secret.empty() && args.key.empty()) {
    absl::StatusOr<config::Settings> settings = config::LoadSettings(working_dir);
    if (!settings.ok()) {
      err << "tessera: configuration error: " << settings.status().message() << "\n";
      return 2;
    }
    options.secret = settings->token.api_secret;
  }
  absl::StatusOr<int64_t> expiry = ParseExpiry(args.expiry);
  if (!expiry.ok()) {
    err << "tessera token: " << expiry.status().message() << "\n";
    return 2;
  }
  options.expiry_seconds = *expiry;
  if (!args.claims_json.empty()) {
    absl::StatusOr<boost::json::object> claims = identity::jose::ParseStrictJsonObject(args.claims_json);
    if (!claims.ok()) {
      err << "tessera token: --claims: " << claims.status().message() << "\n";
      return 2;
    }
    options.claims = *std::move(claims);
  }
  for (const std::string& pair : args.payload) {
    absl::Status s = AddPayloadPair(pair, options.claims);
    if (!s.ok()) {
      err << "tessera token: " << s.message() << "\n";
      return 2;
    }
  }
  for (auto [field, value] : {std::pair{&options.key, &args.key}, std::pair{&options.encrypt_to, &args.encrypt_to}}) {
    absl::StatusOr<std::string> text = KeyArgument(*value);
    if (!text.ok()) {
      err << "tessera token: " << text.status().message() << "\n";
      return 2;
    }
    *field = *std::move(text);
  }
  options.alg = args.alg;
  options.kid = args.kid;
  options.encrypt_alg = args.encrypt_alg;
  options.encrypt_enc = args.encrypt_enc;
  options.now_seconds = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  absl::StatusOr<MintedToken> minted = MintToken(options);
  if (!minted.ok()) {
    err << "tessera token: " << minted.status().message() << "\n";
    return 2;
  }
  if (options.expiry_seconds == 0) {
    err << "warning: this token never expires; Tessera refuses tokens without exp unless "
           "TESSERA_JWT_REQUIRE_EXP=false\n";
  }
  out << "Generating Tessera JWT token\n\n"
      << "Use manually minted tokens in production with caution: anyone holding one can read\n"
      << "what its claims allow until it expires.\n\n";
  if (options.expiry_seconds == 0) {
    out << "Expires in: never\n";
  } else {
    out << "Expires in: " << args.expiry << "\n";
  }
  out << "Payload: " << boost::json::serialize(minted->payload) << "\n\n"
      << "Token: " << minted->token << "\n";
  return 0;
}

}  // namespace tessera::cli
