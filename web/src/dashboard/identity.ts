// Who is signed in, for the header and for keying saved charts. Role and
// tenant are custom claims under a namespace key; they are only displayed —
// what the user may see is decided by Tessera from the access token.
import type { User } from 'oidc-client-ts';

export const DEFAULT_CLAIMS_NAMESPACE = 'http://localhost:3000';

export interface Identity {
  issuer: string;
  subject: string;
  name: string;
  email: string;
  role: string;
  tenant: string;
}

export function identityOf(user: User, namespace = DEFAULT_CLAIMS_NAMESPACE): Identity {
  const profile = user.profile as Record<string, unknown>;
  const access = jwtClaims(user.access_token);
  const custom = { ...asRecord(access[namespace]), ...asRecord(profile[namespace]) };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    issuer: text(profile.iss) || text(access.iss),
    subject: text(profile.sub) || text(access.sub),
    name: text(profile.name) || text(profile.preferred_username),
    email: text(profile.email),
    role: text(custom.role),
    tenant: text(custom.tenant),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The payload of a JWT, unverified: for display only, never for decisions. */
function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return asRecord(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return {};
  }
}
