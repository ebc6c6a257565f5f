// `issuers:` in tessera.yaml, read into IssuerConfigs with file and line for
// every problem, presets applied. What needs the keys themselves (fetching,
// binding algorithms) happens in BuildTokenPolicy.
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include "identity/issuer_config.h"
#include "identity/jose/jwk.h"
#include "identity/remote/key_set_fetcher.h"
#include "model/config_section.h"
#include "model/error_sink.h"
#include "model/yaml_fields.h"

namespace tessera::identity {
namespace {

constexpr absl::string_view kIssuerKeys[] = {
    "issuer",     "preset",    "audience",      "jwks_uri",    "algorithms",        "claims_namespace",
    "roles_claim", "tenants",  "token_use",     "client_ids",  "fetch_timeout_ms",  "min_ttl_seconds",
    "max_ttl_seconds", "unknown_kid_window_seconds", "stale_limit_seconds"};

class IssuerReader {
 public:
  explicit IssuerReader(model::ErrorSink& sink) : sink_(sink) {}

  void ReadAll(const YAML::Node& section, std::vector<IssuerConfig>& out) {
    if (!section.IsSequence()) {
      sink_.Add(section, "", "'issuers' is a list of identity providers (each with 'issuer' and 'audience')");
      return;
    }
    for (const YAML::Node& node : section) {
      if (std::optional<IssuerConfig> c = Read(node)) out.push_back(*std::move(c));
    }
  }

 private:
  std::optional<IssuerConfig> Read(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink_.Add(node, "issuers", "each issuer must be a mapping");
      return std::nullopt;
    }
    const size_t errors = sink_.count();
    model::Fields f = model::ReadFields(node, kIssuerKeys, {}, sink_, "issuers");
    IssuerConfig c;
    model::SourceLocation at = sink_.Locate(node);
    c.label = absl::StrCat(at.file, ":", at.line);
    c.preset = model::StringField(f, "preset", sink_, "issuers").value_or("");
    if (!c.preset.empty() && c.preset != "auth0" && c.preset != "cognito") {
      sink_.Add(f.at("preset").value, "issuers", "'preset' is auth0 or cognito");
    }
    c.issuer = model::StringField(f, "issuer", sink_, "issuers").value_or("");
    if (c.issuer.empty()) {
      sink_.Add(node, "issuers", "'issuer' is the exact 'iss' of the provider's tokens");
    } else {
      // Auth0 writes its tokens' iss with a trailing slash (and its discovery
      // document agrees): the preset accepts the domain written either way.
      if (c.preset == "auth0" && c.issuer.back() != '/') c.issuer.push_back('/');
      if (absl::Status ok = CheckFetchUrl(c.issuer); !ok.ok()) {
        sink_.Add(f.at("issuer").value, "issuers", std::string(ok.message()));
      } else if (!issuers_.insert(c.issuer).second) {
        sink_.Add(f.at("issuer").value, "issuers", absl::StrCat("issuer '", c.issuer, "' is listed twice"));
      }
    }
    c.audiences = List(f, "audience");
    c.jwks_uri = model::StringField(f, "jwks_uri", sink_, "issuers").value_or("");
    if (!c.jwks_uri.empty()) {
      if (absl::Status ok = CheckFetchUrl(c.jwks_uri); !ok.ok()) {
        sink_.Add(f.at("jwks_uri").value, "issuers", std::string(ok.message()));
      }
    }
    c.algorithms = List(f, "algorithms");
    for (const std::string& name : c.algorithms) {
      std::optional<jose::Algorithm> alg = jose::AlgorithmFromName(name);
      if (!alg || !jose::IsSigningAlgorithm(*alg)) {
        sink_.Add(f.at("algorithms").value, "issuers", absl::StrCat("'", name, "' is not a signature algorithm"));
      } else if (*alg == jose::Algorithm::kHS256 || *alg == jose::Algorithm::kHS384 ||
                 *alg == jose::Algorithm::kHS512) {
        sink_.Add(f.at("algorithms").value, "issuers",
                  absl::StrCat(name, " needs a shared secret; a provider's published keys are public"));
      }
    }
    c.claims_namespace = model::StringField(f, "claims_namespace", sink_, "issuers").value_or("");
    c.roles_claim = model::StringField(f, "roles_claim", sink_, "issuers").value_or("");
    c.tenants = List(f, "tenants");
    c.token_use = model::StringField(f, "token_use", sink_, "issuers").value_or("");
    if (!c.token_use.empty() && c.token_use != "access" && c.token_use != "id") {
      sink_.Add(f.at("token_use").value, "issuers", "'token_use' is access or id");
    }
    c.client_ids = List(f, "client_ids");
    c.fetch_timeout_ms = Number(f, "fetch_timeout_ms", c.fetch_timeout_ms, 100, 60000);
    c.min_ttl_seconds = Number(f, "min_ttl_seconds", c.min_ttl_seconds, 1, 86400 * 7);
    c.max_ttl_seconds = Number(f, "max_ttl_seconds", c.max_ttl_seconds, 1, 86400 * 7);
    c.unknown_kid_window_seconds = Number(f, "unknown_kid_window_seconds", c.unknown_kid_window_seconds, 1, 3600);
    c.stale_limit_seconds = Number(f, "stale_limit_seconds", c.stale_limit_seconds, 0, 86400 * 7);
    if (c.min_ttl_seconds > c.max_ttl_seconds) {
      sink_.Add(node, "issuers", "'min_ttl_seconds' is more than 'max_ttl_seconds'");
    }
    ApplyPreset(node, c);
    if (c.audiences.empty() && c.client_ids.empty() && c.preset != "cognito") {  // cognito said what it needs
      // Without it, tokens the provider issued for any other API or app
      // (including ID tokens) would be accepted here.
      sink_.Add(node, "issuers", "'audience' is required: the identifier of this API at the provider");
    }
    if (sink_.count() != errors) return std::nullopt;
    return c;
  }

  void ApplyPreset(const YAML::Node& node, IssuerConfig& c) {
    if (c.preset == "auth0" || c.preset == "cognito") {
      if (c.algorithms.empty()) c.algorithms = {"RS256"};
    }
    if (c.preset != "cognito") {
      if (!c.client_ids.empty()) sink_.Add(node, "issuers", "'client_ids' is for the cognito preset");
      return;
    }
    // Cognito: access tokens say token_use "access" and carry client_id
    // instead of aud; ID tokens have aud = the client id. Groups are roles.
    if (c.token_use.empty()) c.token_use = "access";
    if (c.roles_claim.empty()) c.roles_claim = "cognito:groups";
    if (c.client_ids.empty() && (c.token_use == "access" || c.audiences.empty())) {
      sink_.Add(node, "issuers", "cognito: 'client_ids' lists the app clients whose access tokens are accepted");
    }
    if (c.token_use == "id" && c.audiences.empty()) c.audiences = c.client_ids;
  }

  std::vector<std::string> List(const model::Fields& f, absl::string_view key) {
    std::vector<std::string> out;
    const model::Field* field = model::FindField(f, key);
    if (field == nullptr) return out;
    const std::string what = absl::StrCat("'", std::string(key), "' is a string or a list of strings");
    if (field->value.IsScalar()) {
      if (!field->value.Scalar().empty()) out.push_back(field->value.Scalar());
      return out;
    }
    if (!field->value.IsSequence()) {
      sink_.Add(field->value, "issuers", what);
      return out;
    }
    for (const YAML::Node& v : field->value) {
      if (v.IsScalar() && !v.Scalar().empty()) {
        out.push_back(v.Scalar());
      } else {
        sink_.Add(v, "issuers", what);
      }
    }
    return out;
  }

  int64_t Number(const model::Fields& f, absl::string_view key, int64_t fallback, int64_t min, int64_t max) {
    std::optional<std::string> text = model::StringField(f, key, sink_, "issuers");
    if (!text) return fallback;
    int64_t n = 0;
    if (!absl::SimpleAtoi(*text, &n) || n < min || n > max) {
      sink_.Add(model::FindField(f, key)->value, "issuers",
                absl::StrCat("'", std::string(key), "' is a whole number from ", min, " to ", max));
      return fallback;
    }
    return n;
  }

  model::ErrorSink& sink_;
  std::set<std::string> issuers_;
};

}  // namespace

absl::StatusOr<std::vector<IssuerConfig>> ReadIssuerConfigs(std::string_view yaml_text, const std::string& label) {
  std::vector<IssuerConfig> out;
  absl::Status status =
      model::ReadConfigSection(yaml_text, label, "issuers", [&](const YAML::Node& section, model::ErrorSink& sink) {
        IssuerReader(sink).ReadAll(section, out);
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tessera::identity
