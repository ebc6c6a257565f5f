// Shared by the browser tests: Debian's Chromium through playwright-core,
// screenshots kept as the run's artifacts, tokens and answers straight from
// the API to compare what the pages show with.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startChild, stopChild } from '../../scripts/run-system.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TESSERA = process.env.TESSERA_BIN ?? path.join(ROOT, 'build/tessera');
export const WEB_DIR = process.env.TESSERA_WEB_DIR ?? path.join(ROOT, 'web/dist');
export const ARTIFACTS = process.env.TESSERA_BROWSER_ARTIFACTS ?? path.join(os.tmpdir(), 'tessera-browser-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

// A new context per user: its own cookies and storage, like a separate browser.
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // The page's console errors end up in the test's output when it fails.
  page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`));
  return page;
}

export async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// An access token for a demo user, by the same Authorization Code + PKCE flow
// a browser uses (tests/oidc/get-token.mjs), without a browser.
export function accessToken(system, email, password) {
  const out = execFileSync(process.execPath, [
    path.join(ROOT, 'tests/oidc/get-token.mjs'), '--issuer', system.issuer, '--email', email,
    '--password', password, '--redirect-uri', `${system.url}/callback`,
  ]);
  return JSON.parse(out).access_token;
}

// GET /load, repeated while the API says "Continue wait" (Cube's protocol).
export async function load(baseUrl, query, token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  for (let i = 0; i < 100; i += 1) {
    const r = await fetch(`${baseUrl}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`, { headers });
    const body = await r.json();
    if (body.error === 'Continue wait') continue;
    if (r.status !== 200) throw new Error(`/load answered ${r.status}: ${JSON.stringify(body)}`);
    return body.data;
  }
  throw new Error('/load kept saying Continue wait');
}

// Rows of a table rendered by the apps ([data-testid=row], one cell per
// column) as arrays of cell texts.
export async function tableRows(locator) {
  return locator.locator('[data-testid="row"]').evaluateAll((rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent.trim())));
}

// status -> count from API rows, for comparing with a page's table.
export function countsByStatus(rows) {
  return Object.fromEntries(rows.map((r) => [r['Orders.status'], Number(r['Orders.count'])]));
}

// `tessera serve` in dev mode over a small SQLite demo database: the
// Playground at /. Resolves to { url, stop() }.
export async function startDevServer(workDir) {
  fs.mkdirSync(workDir, { recursive: true });
  const db = path.join(workDir, 'ecom.db');
  if (!fs.existsSync(db)) execFileSync(TESSERA, ['demo-data', '--out', db, '--orders', '2000'], { stdio: 'ignore' });
  const { child, value: url } = await startChild('tessera serve (dev mode)', TESSERA, ['serve'], {
    cwd: workDir,
    env: {
      CUBEJS_DEV_MODE: 'true',
      CUBEJS_DB_TYPE: 'sqlite',
      CUBEJS_DB_NAME: db,
      CUBEJS_SCHEMA_PATH: path.join(ROOT, 'demo/model'),
      PORT: '0',
      TESSERA_LISTEN_ADDRESS: '127.0.0.1',
      TESSERA_WEB_DIR: WEB_DIR,
      TESSERA_AUDIT_LOG: 'audit/audit.log',
    },
    logFile: path.join(workDir, 'tessera.log'),
    ready: (text) => {
      const port = text.match(/^API: +http:\/\/127\.0\.0\.1:(\d+)\//m)?.[1];
      return port ? `http://127.0.0.1:${port}` : undefined;
    },
  });
  return { url, stop: () => stopChild(child) };
}
