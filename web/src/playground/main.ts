// The Playground: served by Tessera at / in dev mode, where the API is open.
// No sign-in: requests go out without a token.
import '../shared/styles.css';
import { loadAppConfig } from '../shared/app-config';
import { createCubeApi } from '../shared/cube-api';
import { h, replaceChildren } from '../shared/dom';
import { Router } from '../shared/router';
import { renderBuildPage } from './build-page';
import { renderGenerateModelPage } from './generate-model-page';

async function start(root: HTMLElement): Promise<void> {
  const config = await loadAppConfig();
  const cubeApi = createCubeApi(config.apiUrl);
  const outlet = h('main', { class: 'outlet' });
  replaceChildren(
    root,
    h(
      'header',
      { class: 'app-header' },
      h('h1', {}, 'Tessera Playground'),
      h(
        'nav',
        {},
        h('a', { href: '/build', 'data-route': '', testid: 'nav-build' }, 'Build'),
        h('a', { href: '/schema', 'data-route': '', testid: 'nav-schema' }, 'Generate model'),
      ),
      !config.devMode && h('span', { class: 'warning', testid: 'not-dev-mode' }, 'Tessera is not in dev mode: API calls need a token.'),
    ),
    outlet,
  );
  const router = new Router(
    {
      '/build': () => renderBuildPage(outlet, cubeApi, config.apiUrl),
      '/schema': () => renderGenerateModelPage(outlet),
    },
    '/build',
  );
  await router.dispatch();
}

const root = document.getElementById('app')!;
start(root).catch((error: unknown) => {
  replaceChildren(root, h('p', { class: 'api-error', role: 'alert', testid: 'api-error' }, `The Playground could not start: ${String(error)}`));
});
