// Full-page notices shown instead of the app: not signed in, session expired,
// sign-in failed. Each offers the way forward (the sign-in button).
import { SESSION_EXPIRED_TEXT } from '../shared/api-errors';
import { h, replaceChildren } from '../shared/dom';

function signInButton(onSignIn: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'primary', testid: 'sign-in', onclick: onSignIn }, 'Sign in');
}

export function showSignIn(root: HTMLElement, onSignIn: () => void): void {
  replaceChildren(
    root,
    h(
      'div',
      { class: 'notice', testid: 'signed-out' },
      h('h1', {}, 'Tessera Dashboard'),
      h('p', {}, 'Sign in to explore the data you have access to.'),
      signInButton(onSignIn),
    ),
  );
}

export function showSessionExpired(root: HTMLElement, onSignIn: () => void): void {
  replaceChildren(
    root,
    h(
      'div',
      { class: 'notice' },
      h('p', { testid: 'session-expired', role: 'alert' }, SESSION_EXPIRED_TEXT),
      signInButton(onSignIn),
    ),
  );
}

export function showProblem(root: HTMLElement, message: string, onSignIn?: () => void): void {
  replaceChildren(
    root,
    h(
      'div',
      { class: 'notice' },
      h('p', { class: 'api-error', role: 'alert', testid: 'api-error' }, message),
      onSignIn && signInButton(onSignIn),
    ),
  );
}
