#include "web/client_config.h"

#include <boost/json.hpp>

#include <string_view>

namespace tessera::web {
namespace {

std::string FirstOfList(std::string_view list) {
  size_t comma = list.find(',');
  std::string_view first = list.substr(0, comma);
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
  return std::string(first);
}

}  // namespace

ClientConfig ClientConfigFrom(const config::Settings& settings) {
  ClientConfig c;
  c.dev_mode = settings.dev_mode;
  if (settings.dev_mode) return c;  // the playground signs in nowhere
  c.oidc_authority = settings.web.oidc_authority.empty() ? FirstOfList(settings.token.issuer) : settings.web.oidc_authority;
  c.oidc_client_id = settings.web.oidc_client_id;
  c.oidc_scope = settings.web.oidc_scope;
  c.oidc_resource = settings.web.oidc_resource.empty() ? FirstOfList(settings.token.audience) : settings.web.oidc_resource;
  return c;
}

std::string ClientConfigJson(const ClientConfig& config) {
  boost::json::object o;
  o["devMode"] = config.dev_mode;
  o["apiUrl"] = config.api_url;
  if (config.oidc_authority.empty()) {
    o["oidc"] = nullptr;
  } else {
    boost::json::object oidc;
    oidc["authority"] = config.oidc_authority;
    oidc["clientId"] = config.oidc_client_id;
    oidc["scope"] = config.oidc_scope;
    if (config.oidc_resource.empty()) {
      oidc["resource"] = nullptr;
    } else {
      oidc["resource"] = config.oidc_resource;
    }
    o["oidc"] = std::move(oidc);
  }
  return boost::json::serialize(o);
}

}  // namespace tessera::web
