// The signed-in header: navigation, who is signed in (name/email, role,
// tenant as the token states them), and sign-out.
import { h } from '../shared/dom';
import type { Identity } from './identity';

export function appHeader(identity: Identity, onSignOut: () => void): HTMLElement {
  const who = identity.name && identity.email ? `${identity.name} <${identity.email}>` : identity.name || identity.email || identity.subject;
  return h(
    'header',
    { class: 'app-header' },
    h('h1', {}, 'Tessera'),
    h(
      'nav',
      {},
      h('a', { href: '/explore', 'data-route': '', testid: 'nav-explore' }, 'Explore'),
      h('a', { href: '/dashboard', 'data-route': '', testid: 'nav-dashboard' }, 'Dashboard'),
    ),
    h(
      'div',
      { class: 'identity' },
      h('span', { testid: 'user', 'data-email': identity.email, 'data-sub': identity.subject }, who),
      identity.role && h('span', { class: 'badge', testid: 'role', title: 'Role' }, identity.role),
      identity.tenant && h('span', { class: 'badge', testid: 'tenant', title: 'Tenant' }, identity.tenant),
      h('button', { type: 'button', testid: 'sign-out', onclick: onSignOut }, 'Sign out'),
    ),
  );
}
