// Sign-in with the OpenID Connect provider: Authorization Code flow with PKCE
// (oidc-client-ts does S256 by default), refresh-token renewal, sign-out.
import { UserManager, type SigninSilentArgs, type User, type UserManagerSettings } from 'oidc-client-ts';
import type { OidcSettings } from '../shared/app-config';
import { SessionExpiredError } from '../shared/api-errors';

export const CALLBACK_PATH = '/callback';

/**
 * oidc-client-ts applies the settings' extraTokenParams to the code exchange
 * but not to a refresh (automatic renewal calls signinSilent() without
 * arguments), so the resource indicator is added here: the renewed access
 * token must be for the API's audience as well.
 */
class ApiUserManager extends UserManager {
  constructor(
    settings: UserManagerSettings,
    private readonly apiResource: string,
  ) {
    super(settings);
  }

  override signinSilent(args: SigninSilentArgs = {}): Promise<User | null> {
    return super.signinSilent({ ...args, extraTokenParams: { resource: this.apiResource, ...args.extraTokenParams } });
  }
}

export function createUserManager(oidc: OidcSettings): UserManager {
  // The resource indicator (RFC 8707) goes on both the authorization and the
  // token request: only then does the provider issue a JWT access token whose
  // audience is the API.
  const resource = { resource: oidc.resource };
  return new ApiUserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    redirect_uri: `${location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: oidc.scope,
    extraQueryParams: resource,
    extraTokenParams: resource,
    // Renews with the refresh token shortly before the access token expires.
    automaticSilentRenew: true,
  }, oidc.resource);
}

/**
 * The API token for the Cube client, read at every request so that a token
 * renewed in the background is used. The access token, not the ID token, is
 * the one issued for the API's audience.
 */
export function accessTokenSupplier(users: UserManager): () => Promise<string> {
  return async () => {
    const user = await users.getUser();
    if (!user || user.expired) throw new SessionExpiredError();
    return user.access_token;
  };
}

/** A signed-in user, renewed first if the stored token has run out; null when there is none to be had. */
export async function currentUser(users: UserManager): Promise<{ user: User | null; expired: boolean }> {
  const user = await users.getUser();
  if (!user) return { user: null, expired: false };
  if (!user.expired) return { user, expired: false };
  try {
    const renewed = await users.signinSilent();
    return renewed && !renewed.expired ? { user: renewed, expired: false } : { user: null, expired: true };
  } catch {
    return { user: null, expired: true };
  }
}

export async function signOut(users: UserManager): Promise<void> {
  try {
    // Ends the provider's session as well; oidc-client-ts removes the stored user first.
    await users.signoutRedirect();
  } catch {
    // The provider offers no end-session endpoint (or is unreachable):
    // at least forget the local session.
    await users.removeUser();
    location.assign('/');
  }
}
