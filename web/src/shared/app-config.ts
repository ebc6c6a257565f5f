// The runtime settings Tessera serves at /app-config.json. The apps read them
// first and hard-code nothing, so one build works behind any Tessera.

export interface OidcSettings {
  authority: string;
  clientId: string;
  scope: string;
  /** RFC 8707 resource indicator: the API audience the access token is for. */
  resource: string;
  /** Where role and tenant claims sit in the tokens; optional, the dashboard has a default. */
  claimsNamespace?: string;
}

export interface AppConfig {
  devMode: boolean;
  apiUrl: string;
  oidc: OidcSettings | null;
}

export async function loadAppConfig(): Promise<AppConfig> {
  const response = await fetch('/app-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/app-config.json answered ${response.status}`);
  return parseAppConfig(await response.json());
}

function parseAppConfig(raw: unknown): AppConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('/app-config.json is not an object');
  const value = raw as Record<string, unknown>;
  const apiUrl = typeof value.apiUrl === 'string' && value.apiUrl ? value.apiUrl : '/cubejs-api/v1';
  return {
    devMode: value.devMode === true,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    oidc: parseOidc(value.oidc),
  };
}

function parseOidc(raw: unknown): OidcSettings | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const value = raw as Record<string, unknown>;
  const text = (key: string): string => {
    const field = value[key];
    if (typeof field !== 'string' || !field) throw new Error(`/app-config.json: oidc.${key} is missing`);
    return field;
  };
  return {
    authority: text('authority'),
    clientId: text('clientId'),
    scope: typeof value.scope === 'string' && value.scope ? value.scope : 'openid profile email',
    resource: text('resource'),
    ...(typeof value.claimsNamespace === 'string' && value.claimsNamespace ? { claimsNamespace: value.claimsNamespace } : {}),
  };
}
