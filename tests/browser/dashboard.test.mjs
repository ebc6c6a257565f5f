// The dashboard against the whole system: sign in at the provider's own
// login page, see the figures the API gives that user, only the members that
// user may see, sign out, and a session that expires.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startSystem } from '../../scripts/run-system.mjs';
import {
  ARTIFACTS, TESSERA, WEB_DIR, accessToken, countsByStatus, launchBrowser, load, newPage, screenshot, tableRows,
} from './support.mjs';

const ORDERS_BY_STATUS = { measures: ['Orders.count'], dimensions: ['Orders.status'] };
const ADMIN = { email: 'alice@admin.example', password: 'alice-password' };   // admin, tenant acme
const USER = { email: 'bob@acme.example', password: 'bob-password' };         // user, tenant acme
const OTHER = { email: 'carol@globex.example', password: 'carol-password' };  // user, tenant globex

let system;
let browser;

before(async () => {
  system = await startSystem({ tessera: TESSERA, webDir: WEB_DIR, workDir: path.join(ARTIFACTS, 'system') });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await system?.stop();
});

// From the dashboard's "Sign in" to the provider's login form and back.
async function signIn(page, who) {
  await page.goto(`${system.url}/`);
  await page.getByTestId('sign-in').click();
  await page.waitForURL((url) => url.href.startsWith(system.issuer));
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.locator('#submit').click();
  await page.waitForURL((url) => url.href.startsWith(system.url) && !url.pathname.startsWith('/callback'));
  await page.getByTestId('user').waitFor();
}

// The default chart, "Orders by status", as status -> count.
async function shownCounts(page) {
  const table = page.getByTestId('chart-table').first();
  await table.locator('[data-testid="row"]').first().waitFor();
  return Object.fromEntries((await tableRows(table)).map(([status, count]) => [status, Number(count.replace(/[^0-9]/g, ''))]));
}

// The dimensions the Explore page offers.
async function offeredDimensions(page) {
  await page.goto(`${system.url}/explore`);
  const picker = page.getByTestId('add-dimension');
  await picker.locator('option[value="Orders.status"]').waitFor({ state: 'attached' });
  return picker.locator('option').evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
}

describe('the dashboard', () => {
  test('the admin signs in at the provider and sees the API\'s order counts by status', async () => {
    const page = await newPage(browser);
    // Everything the app loads comes from Tessera or the provider: no CDN.
    const origins = new Set();
    page.on('request', (req) => origins.add(new URL(req.url()).origin));
    await signIn(page, ADMIN);
    assert.match(await page.getByTestId('user').innerText(), /alice|Alice/);
    const shown = await shownCounts(page);
    await screenshot(page, 'dashboard-admin');
    const api = countsByStatus(await load(system.url, ORDERS_BY_STATUS, accessToken(system, ADMIN.email, ADMIN.password)));
    assert.deepEqual(shown, api);
    assert.equal(Object.values(api).reduce((a, b) => a + b, 0), 3000, 'the admin sees every order of tenant acme');
    assert.ok((await offeredDimensions(page)).includes('Orders.customerName'), 'admins may see customers\' names');
    assert.deepEqual([...origins].sort(), [system.url, system.issuer].sort());
    await page.context().close();
  });

  test('an ordinary user sees the restricted figures, and not the members hidden from their role', async () => {
    const page = await newPage(browser);
    await signIn(page, USER);
    const shown = await shownCounts(page);
    await screenshot(page, 'dashboard-user');
    const api = countsByStatus(await load(system.url, ORDERS_BY_STATUS, accessToken(system, USER.email, USER.password)));
    assert.deepEqual(shown, api);
    const total = Object.values(api).reduce((a, b) => a + b, 0);
    assert.ok(total > 0 && total < 3000, `the restricted view is a part of acme's orders, got ${total}`);
    const offered = await offeredDimensions(page);
    assert.ok(offered.includes('Orders.status'), offered.join(', '));
    assert.ok(!offered.includes('Orders.customerName'), 'a member hidden from the role is not offered');
    await screenshot(page, 'explore-user');
    await page.context().close();
  });

  test('a user of another tenant sees that tenant\'s figures', async () => {
    const page = await newPage(browser);
    await signIn(page, OTHER);
    const shown = await shownCounts(page);
    const api = countsByStatus(await load(system.url, ORDERS_BY_STATUS, accessToken(system, OTHER.email, OTHER.password)));
    assert.deepEqual(shown, api);
    const acme = countsByStatus(await load(system.url, ORDERS_BY_STATUS, accessToken(system, USER.email, USER.password)));
    assert.notDeepEqual(shown, acme);
    await screenshot(page, 'dashboard-other-tenant');
    await page.context().close();
  });

  test('charts saved from Explore stay on that user\'s dashboard, and a denied member is explained', async () => {
    const page = await newPage(browser);
    await signIn(page, USER);
    await page.goto(`${system.url}/explore`);
    for (const [picker, member] of [['add-measure', 'Orders.count'], ['add-dimension', 'Orders.sizeBucket']]) {
      await page.getByTestId(picker).locator(`option[value="${member}"]`).waitFor({ state: 'attached' });
      await page.getByTestId(picker).selectOption(member);
    }
    await page.getByTestId('run').click();
    await page.getByTestId('result-table').locator('[data-testid="row"]').first().waitFor();
    await page.getByTestId('save-chart').click();
    await page.getByTestId('chart-title').fill('Orders by size');
    await page.getByTestId('save-chart-confirm').click();
    await page.getByTestId('chart-saved').waitFor();

    await page.goto(`${system.url}/dashboard`);
    const saved = page.locator('[data-testid="saved-chart"][data-title="Orders by size"]');
    await saved.locator('[data-testid="row"]').first().waitFor();
    const shown = Object.fromEntries((await tableRows(saved)).map(([bucket, count]) => [bucket, Number(count)]));
    const api = await load(system.url, { measures: ['Orders.count'], dimensions: ['Orders.sizeBucket'] },
      accessToken(system, USER.email, USER.password));
    assert.deepEqual(shown, Object.fromEntries(api.map((r) => [r['Orders.sizeBucket'], Number(r['Orders.count'])])));
    await screenshot(page, 'dashboard-saved-chart');

    // A chart that asks for a member the role may not see (saved before the
    // policy changed, say) says why it has no data.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('tessera.dashboard.charts:'));
      const charts = JSON.parse(localStorage.getItem(key));
      charts.push({ id: 'hidden', title: 'Names', query: { measures: ['Orders.count'], dimensions: ['Orders.customerName'] } });
      localStorage.setItem(key, JSON.stringify(charts));
    });
    await page.reload();
    const denied = page.locator('[data-testid="saved-chart"][data-title="Names"]').getByTestId('api-error');
    await denied.waitFor();
    assert.match(await denied.innerText(), /hidden member.*Orders\.customerName/);
    await screenshot(page, 'dashboard-denied-member');

    // Another user signing in with the same browser does not get these charts.
    await page.getByTestId('sign-out').click();
    await page.locator('#logout-yes').click();
    await page.getByTestId('sign-in').waitFor();
    await signIn(page, OTHER);
    await page.getByTestId('chart-table').first().waitFor();
    assert.equal(await page.locator('[data-testid="saved-chart"][data-title="Orders by size"]').count(), 0);
    await page.context().close();
  });

  test('sign out ends the session at the provider too', async () => {
    const page = await newPage(browser);
    await signIn(page, USER);
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.href.startsWith(system.issuer));
    await screenshot(page, 'provider-sign-out');
    await page.locator('#logout-yes').click();
    await page.waitForURL((url) => url.href.startsWith(system.url));
    await page.getByTestId('sign-in').waitFor();
    // Signing in again needs the password: the provider's session is gone.
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => url.href.startsWith(system.issuer));
    await page.locator('#email').waitFor();
    await page.context().close();
  });

  test('an access token that expires is renewed without the user noticing', async () => {
    const page = await newPage(browser);
    // The page's clock, not the machine's: two hours pass in an instant.
    await page.clock.install();
    await signIn(page, USER);
    const before = await shownCounts(page);
    const storedToken = () => page.evaluate(() => {
      const key = Object.keys(sessionStorage).concat(Object.keys(localStorage)).find((k) => k.startsWith('oidc.user:'));
      return JSON.parse(sessionStorage.getItem(key) ?? localStorage.getItem(key)).access_token;
    });
    const oldToken = await storedToken();
    const renewal = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(system.issuer) &&
      /grant_type=refresh_token/.test(r.request().postData() ?? ''));
    await page.clock.fastForward('02:00:00');
    // The app renews by itself, with its refresh token, before the token runs out.
    assert.equal((await renewal).status(), 200);
    // Reloading before the new token is stored would lose it (the provider
    // rotates refresh tokens on use): wait for it.
    await page.waitForFunction((old) => {
      const key = Object.keys(sessionStorage).concat(Object.keys(localStorage)).find((k) => k.startsWith('oidc.user:'));
      const user = key && JSON.parse(sessionStorage.getItem(key) ?? localStorage.getItem(key));
      return user && user.access_token !== old;
    }, oldToken);
    await page.reload();
    assert.deepEqual(await shownCounts(page), before);
    assert.notEqual(await storedToken(), oldToken);
    await screenshot(page, 'dashboard-renewed');
    await page.context().close();
  });

  test('a session that cannot be renewed is sent back to sign in', async () => {
    const page = await newPage(browser);
    await signIn(page, USER);
    // Spoil the stored session: an expired access token, a refresh token the
    // provider never issued.
    const spoiled = await page.evaluate(() => {
      let n = 0;
      for (const store of [window.sessionStorage, window.localStorage]) {
        for (let i = 0; i < store.length; i += 1) {
          const key = store.key(i);
          if (!key.startsWith('oidc.user:')) continue;
          const user = JSON.parse(store.getItem(key));
          user.access_token = 'expired';
          user.refresh_token = 'not-a-refresh-token';
          user.expires_at = Math.floor(Date.now() / 1000) - 60;
          store.setItem(key, JSON.stringify(user));
          n += 1;
        }
      }
      return n;
    });
    assert.equal(spoiled, 1, 'the app keeps one signed-in user in the browser\'s storage');
    await page.reload();
    await page.getByTestId('session-expired').waitFor();
    await page.getByTestId('sign-in').waitFor();
    await screenshot(page, 'session-expired');
    await page.context().close();
  });
});

describe('the dashboard where a role lacks an API scope', () => {
  let limited;
  before(async () => {
    // Ordinary users may read the model but not query data.
    limited = await startSystem({
      tessera: TESSERA, webDir: WEB_DIR, workDir: path.join(ARTIFACTS, 'system-scopes'),
      env: { TESSERA_API_SCOPES: 'admin:meta,data,sql;user:meta' },
    });
  });
  after(async () => { await limited?.stop(); });

  test('says which part of the API the account may not use', async () => {
    const page = await newPage(browser);
    await page.goto(`${limited.url}/`);
    await page.getByTestId('sign-in').click();
    await page.locator('#email').fill(USER.email);
    await page.locator('#password').fill(USER.password);
    await page.locator('#submit').click();
    const error = page.getByTestId('api-error').first();
    await error.waitFor();
    assert.match(await error.innerText(), /may not use the data \(queries\) \(API scope “data” is missing\)/);
    await screenshot(page, 'dashboard-missing-scope');
    await page.context().close();
  });
});
