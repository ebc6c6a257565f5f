// The Dashboard: served by Tessera at / outside dev mode. Everyone signs in
// with the OpenID Connect provider named in /app-config.json; the access token
// is then the API token for every request.
import '../shared/styles.css';
import type { User, UserManager } from 'oidc-client-ts';
import { loadAppConfig } from '../shared/app-config';
import { createCubeApi } from '../shared/cube-api';
import { h, replaceChildren } from '../shared/dom';
import { Router } from '../shared/router';
import { appHeader } from './app-header';
import { CALLBACK_PATH, accessTokenSupplier, createUserManager, currentUser, signOut } from './auth';
import { renderDashboardPage } from './dashboard-page';
import { renderExplorePage } from './explore-page';
import { identityOf } from './identity';
import { showProblem, showSessionExpired, showSignIn } from './notices';
import { SavedCharts } from './saved-charts';
import type { DashboardSession } from './session';

async function start(root: HTMLElement): Promise<void> {
  const config = await loadAppConfig();
  if (!config.oidc) {
    showProblem(root, 'Sign-in is not configured: /app-config.json names no OpenID Connect provider.');
    return;
  }
  const users = createUserManager(config.oidc);
  const signIn = () => void users.signinRedirect();
  let expired = false;
  const onSessionExpired = () => {
    if (expired) return;
    expired = true;
    // Forget the dead tokens so a reload does not try them again.
    void users.removeUser();
    showSessionExpired(root, signIn);
  };
  users.events.addSilentRenewError(onSessionExpired);
  users.events.addAccessTokenExpired(onSessionExpired);

  if (location.pathname === CALLBACK_PATH) {
    try {
      await users.signinRedirectCallback();
    } catch (error) {
      showProblem(root, `Sign-in did not complete: ${error instanceof Error ? error.message : String(error)}`, signIn);
      return;
    }
    history.replaceState(null, '', '/dashboard');
  }

  const { user, expired: hadExpired } = await currentUser(users);
  if (!user) {
    if (hadExpired) onSessionExpired();
    else showSignIn(root, signIn);
    return;
  }
  renderSignedIn(root, users, user, config.apiUrl, config.oidc.claimsNamespace, onSessionExpired);
}

function renderSignedIn(
  root: HTMLElement,
  users: UserManager,
  user: User,
  apiUrl: string,
  claimsNamespace: string | undefined,
  onSessionExpired: () => void,
): void {
  const identity = identityOf(user, claimsNamespace);
  const session: DashboardSession = {
    cubeApi: createCubeApi(apiUrl, accessTokenSupplier(users)),
    savedCharts: new SavedCharts(identity),
    onSessionExpired,
  };
  const outlet = h('main', { class: 'outlet' });
  replaceChildren(root, appHeader(identity, () => void signOut(users)), outlet);
  const router = new Router(
    {
      '/dashboard': () => renderDashboardPage(outlet, session),
      '/explore': () => renderExplorePage(outlet, session),
    },
    '/dashboard',
  );
  void router.dispatch();
}

const root = document.getElementById('app')!;
start(root).catch((error: unknown) => {
  replaceChildren(root, h('p', { class: 'api-error', role: 'alert', testid: 'api-error' }, `The Dashboard could not start: ${String(error)}`));
});
