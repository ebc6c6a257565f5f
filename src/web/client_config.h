#pragma once
// What the browser apps are told at GET /app-config.json: where the API is
// and, for the dashboard, which OpenID Connect provider to sign in at. Only
// public values: a public client's id is not a secret (PKCE protects its
// code), and nothing here is a key.
#include <string>

#include "config/settings.h"

namespace tessera::web {

struct ClientConfig {
  bool dev_mode = false;
  std::string api_url = "/cubejs-api/v1";
  // Empty authority: no sign-in is offered (dev mode, or tokens from elsewhere).
  std::string oidc_authority;
  std::string oidc_client_id;
  std::string oidc_scope;
  // The RFC 8707 resource the access token is asked for: the API's audience.
  std::string oidc_resource;
};

// From the server's settings: TESSERA_WEB_OIDC_* where given, else the first
// of CUBEJS_JWT_ISSUER / CUBEJS_JWT_AUDIENCE (the provider the API already
// trusts is the one the dashboard signs in at).
ClientConfig ClientConfigFrom(const config::Settings& settings);

// {"devMode":..., "apiUrl":..., "oidc": null | {"authority", "clientId", "scope", "resource"}}
std::string ClientConfigJson(const ClientConfig& config);

}  // namespace tessera::web
