#include "identity/remote/remote_key_set.h"

#include <map>

#include "absl/strings/str_cat.h"
#include <boost/json.hpp>

#include "base/log_safe.h"
#include "identity/jose/jwk.h"
#include "identity/jose/strict_json.h"

namespace tessera::identity {
namespace {

namespace json = boost::json;

std::string KeyLabel(size_t index, const json::object& key) {
  std::string label = absl::StrCat("key ", index);
  if (const json::value* kid = key.if_contains("kid"); kid && kid->is_string()) {
    absl::StrAppend(&label, " (kid '", LogSafe(std::string(kid->get_string())), "')");
  }
  return label;
}

// The public key material, for telling a repeated key from a conflicting one.
std::string Material(const json::object& key) {
  std::string out;
  for (const char* member : {"kty", "crv", "n", "e", "x", "y"}) {
    if (const json::value* v = key.if_contains(member); v && v->is_string()) {
      absl::StrAppend(&out, member, "=", std::string(v->get_string()), ";");
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<RemoteKeySet> ParseRemoteKeySet(std::string_view json_text, std::span<const jose::Algorithm> allowed,
                                               size_t max_keys) {
  absl::StatusOr<json::object> doc = jose::ParseStrictJsonObject(json_text);
  if (!doc.ok()) return absl::InvalidArgumentError(absl::StrCat("key set is not a JSON object: ", doc.status().message()));
  const json::value* keys = doc->if_contains("keys");
  if (keys == nullptr || !keys->is_array()) return absl::InvalidArgumentError("key set has no \"keys\" array");
  if (keys->get_array().size() > max_keys) {
    return absl::InvalidArgumentError(absl::StrCat("key set has ", keys->get_array().size(), " keys (at most ", max_keys,
                                                   " are accepted)"));
  }
  RemoteKeySet out;
  jose::KeyImportOptions import;
  import.min_rsa_bits = 2048;
  import.allow_private = false;
  import.allow_symmetric = false;
  // kid -> material of its first key; kids seen with different material.
  std::map<std::string, std::string> material_of;
  std::map<std::string, bool> conflicting;
  std::vector<std::pair<std::string, jose::Jwk>> parsed;  // label, key
  size_t index = 0;
  for (const json::value& entry : keys->get_array()) {
    ++index;
    if (!entry.is_object()) {
      out.skipped.push_back(absl::StrCat("key ", index, ": not a JSON object"));
      continue;
    }
    const json::object& key = entry.get_object();
    std::string label = KeyLabel(index, key);
    if (const json::value* kty = key.if_contains("kty"); kty && kty->is_string() && kty->get_string() == "oct") {
      out.skipped.push_back(absl::StrCat(label, ": symmetric keys are never taken from a remote key set"));
      continue;
    }
    if (const json::value* use = key.if_contains("use"); use && use->is_string() && use->get_string() != "sig") {
      out.skipped.push_back(absl::StrCat(label, ": not a signing key (use '", LogSafe(std::string(use->get_string())), "')"));
      continue;
    }
    absl::StatusOr<jose::Jwk> jwk = jose::ParseJwk(key, import);
    if (!jwk.ok()) {
      out.skipped.push_back(absl::StrCat(label, ": ", LogSafe(std::string(jwk.status().message()))));
      continue;
    }
    if (!jwk->kid.empty()) {
      auto [it, added] = material_of.emplace(jwk->kid, Material(key));
      if (!added) {
        if (it->second != Material(key)) {
          conflicting[jwk->kid] = true;
        } else {
          out.skipped.push_back(absl::StrCat(label, ": the same key again"));
          continue;
        }
      }
    }
    parsed.emplace_back(std::move(label), *std::move(jwk));
  }
  std::vector<jose::Jwk> usable;
  for (auto& [label, jwk] : parsed) {
    if (!jwk.kid.empty() && conflicting.count(jwk.kid)) {
      out.skipped.push_back(absl::StrCat(label, ": another key has the same kid"));
      continue;
    }
    // Bound one by one so that a key no allowed algorithm fits is named.
    jose::BindOptions bind;
    bind.strict = true;
    absl::StatusOr<std::vector<jose::BoundKey>> bound = jose::BindSigningKeys(std::span<const jose::Jwk>(&jwk, 1), allowed, bind);
    if (!bound.ok() || bound->empty()) {
      out.skipped.push_back(absl::StrCat(label, ": ",
                                         bound.ok() ? std::string("no allowed algorithm fits it")
                                                    : LogSafe(std::string(bound.status().message()))));
      continue;
    }
    for (jose::BoundKey& b : *bound) out.keys.push_back(std::move(b));
  }
  return out;
}

}  // namespace tessera::identity
