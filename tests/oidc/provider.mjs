#!/usr/bin/env node
// A real OpenID Connect provider (npm's oidc-provider) for Tessera's tests and
// demo: login page, JWT access tokens for one API audience signed with RS256,
// ES256 or EdDSA, persisted keys, and admin endpoints to rotate/retire keys and
// break the JWKS endpoint on purpose. See README.md.
//
//   node provider.mjs [--port 0] [--state-dir DIR] [--redirect-uri URI ...]
//                     [--audience URI] [--access-token-alg RS256|ES256|EdDSA]
//                     [--access-token-ttl S] [--namespace NS] [--admin-domain D]
//                     [--jwks-max-age S] [--admin-token T] [--verbose]
//                     [--trace-startup]
//
// stdout carries exactly two lines, ISSUER=... then ADMIN_TOKEN=..., so that
// scripts can read them; everything else goes to stderr.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ALGS = ['RS256', 'ES256', 'EdDSA'];

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'state-dir': { type: 'string', default: path.join(os.tmpdir(), 'tessera-oidc-state') },
    'redirect-uri': { type: 'string', multiple: true, default: ['http://127.0.0.1:4000/callback'] },
    audience: { type: 'string', default: 'https://tessera.local/api' },
    'access-token-alg': { type: 'string', default: 'RS256' },
    'access-token-ttl': { type: 'string', default: '3600' },
    namespace: { type: 'string', default: 'http://localhost:3000' },
    'admin-domain': { type: 'string', default: 'admin.example' },
    'jwks-max-age': { type: 'string', default: '300' },
    'admin-token': { type: 'string' },
    verbose: { type: 'boolean', default: false },
    // Each start-up step's time on stderr: when a test finds the provider
    // not up after a minute, its log then says which step it was stuck in.
    'trace-startup': { type: 'boolean', default: false },
  },
});
const startedAt = Date.now();
const step = (what) => {
  if (opt['trace-startup']) console.error(`start-up: ${what} (${Date.now() - startedAt} ms)`);
};
if (!ALGS.includes(opt['access-token-alg'])) {
  console.error(`--access-token-alg must be one of ${ALGS.join(', ')}`);
  process.exit(2);
}

// oidc-provider prints notices with console.info, i.e. on stdout, which is
// reserved for the ISSUER/ADMIN_TOKEN lines. Send them to stderr, and in quiet
// mode show each distinct library warning only once (the provider instance is
// rebuilt on every key change and would repeat them).
const seen = new Set();
const log = (...a) => console.error(...a);
console.log = console.info = opt.verbose ? log : () => {};
const warn = console.warn;
console.warn = (...a) => {
  const key = a.join(' ');
  if (opt.verbose || !seen.has(key)) { seen.add(key); warn(...a); }
};
step('arguments read');
const { Provider, errors } = await import('oidc-provider');
step('oidc-provider loaded');

// ---------------------------------------------------------------- accounts --
const users = JSON.parse(fs.readFileSync(path.join(HERE, 'users.json'), 'utf8'));
const NS = opt.namespace;
// The same shape as the tutorial's Auth0 rule (`context.accessToken[namespace]
// = { role: ... }`): one object under the namespace key, e.g.
// {"http://localhost:3000": {"role": "admin", "tenant": "acme"}}, which
// CUBEJS_JWT_CLAIMS_NAMESPACE=http://localhost:3000 makes the security context.
const customClaims = (u) => ({
  [NS]: {
    role: u.email.endsWith(`@${opt['admin-domain']}`) ? 'admin' : 'user',
    tenant: u.tenant,
  },
});
const bySub = (sub) => users.find((u) => u.sub === sub);
const byEmail = (email) => users.find((u) => u.email.toLowerCase() === String(email).trim().toLowerCase());

// -------------------------------------------------------------------- keys --
// jwks.json holds private JWKs, newest first: oidc-provider signs with the
// first key that matches the wanted alg, so the newest key of an alg signs.
const stateDir = path.resolve(opt['state-dir']);
const jwksFile = path.join(stateDir, 'jwks.json');

function newKey(alg) {
  const { privateKey } = alg === 'RS256' ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : alg === 'ES256' ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('ed25519');
  const kid = `${alg.toLowerCase()}-${crypto.randomBytes(6).toString('hex')}`;
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

function saveKeys(keys) {
  fs.writeFileSync(`${jwksFile}.tmp`, JSON.stringify({ keys }, null, 2), { mode: 0o600 });
  fs.renameSync(`${jwksFile}.tmp`, jwksFile);
}

fs.mkdirSync(stateDir, { recursive: true });
let keys = fs.existsSync(jwksFile) ? JSON.parse(fs.readFileSync(jwksFile, 'utf8')).keys : [];
// A state dir from an older run may lack an alg; make sure each one has a key.
const missing = ALGS.filter((alg) => !keys.some((k) => k.alg === alg));
if (missing.length) { keys = [...keys, ...missing.map(newKey)]; saveKeys(keys); }
step(`signing keys ready (${missing.length} made)`);

const signingKids = () => Object.fromEntries(ALGS.map((alg) => [alg, keys.find((k) => k.alg === alg)?.kid]));

// ----------------------------------------------------------------- storage --
// oidc-provider 9's built-in memory adapter keeps one store per Provider
// instance, and key changes rebuild the instance (see setKeys): keep sessions,
// grants, codes and tokens in one module-wide store instead, so logins and
// refresh tokens survive a rotation. Same interface as the library's adapter.
const store = new Map();
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
function stored(key) {
  const e = store.get(key);
  if (e && e.expiresAt <= Date.now()) { store.delete(key); return undefined; }
  return e?.value;
}
class SharedMemoryAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async upsert(id, payload, expiresIn) {
    if (store.size > 10000) for (const k of store.keys()) stored(k); // drop expired entries
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(this.key(id), { value: payload, expiresAt });
    if (this.model === 'Session') store.set(`sessionUid:${payload.uid}`, { value: id, expiresAt });
    if (payload.userCode) store.set(`userCode:${payload.userCode}`, { value: id, expiresAt });
    if (GRANTABLE.has(this.model) && payload.grantId) {
      const members = stored(`grant:${payload.grantId}`) ?? new Set();
      store.set(`grant:${payload.grantId}`, { value: members.add(this.key(id)), expiresAt: Infinity });
    }
  }

  async find(id) { return stored(this.key(id)); }

  async findByUid(uid) { const id = stored(`sessionUid:${uid}`); return id && this.find(id); }

  async findByUserCode(code) { const id = stored(`userCode:${code}`); return id && this.find(id); }

  async consume(id) { const p = stored(this.key(id)); if (p) p.consumed = Math.floor(Date.now() / 1000); }

  async destroy(id) { store.delete(this.key(id)); }

  async revokeByGrantId(grantId) {
    for (const key of stored(`grant:${grantId}`) ?? []) store.delete(key);
    store.delete(`grant:${grantId}`);
  }
}

// ---------------------------------------------------------------- provider --
const AUDIENCE = opt.audience;
const API_SCOPE = 'api:read';
const COOKIE_KEYS = [crypto.randomBytes(32).toString('base64url')];

// Resource indicators: the audience itself gets tokens signed with the run's
// default alg; "<audience>?alg=ES256" (etc.) gets the same audience signed with
// that alg. The token's aud is always the bare audience.
function resourceAlg(indicator) {
  if (indicator === AUDIENCE) return opt['access-token-alg'];
  const q = indicator.startsWith(`${AUDIENCE}?`) && new URLSearchParams(indicator.slice(AUDIENCE.length + 1));
  if (q && [...q.keys()].length === 1 && ALGS.includes(q.get('alg'))) return q.get('alg');
  return undefined;
}

function buildProvider(issuer) {
  const clientCommon = {
    redirect_uris: opt['redirect-uri'],
    // Where an app may send its users after sign-out: the root of each app
    // that may sign in here.
    post_logout_redirect_uris: [...new Set(opt['redirect-uri'].map((u) => new URL('/', u).href))],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  const provider = new Provider(issuer, {
    clients: [
      { ...clientCommon, client_id: 'tessera-dashboard', application_type: 'web', token_endpoint_auth_method: 'none' },
      { ...clientCommon, client_id: 'tessera-test', client_secret: 'tessera-test-secret', token_endpoint_auth_method: 'client_secret_basic' },
    ],
    jwks: { keys: structuredClone(keys) },
    adapter: SharedMemoryAdapter,
    // Fixed cookie keys keep signed session cookies valid across rebuilds.
    cookies: { keys: COOKIE_KEYS },
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 accepts
    claims: {
      openid: ['sub', NS],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Put the scope's claims (and the namespaced ones) into the ID token even
    // for the code flow, as Auth0 does, instead of only into /me.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      const u = bySub(sub);
      if (!u) return undefined;
      return {
        accountId: u.sub,
        async claims() {
          return { sub: u.sub, email: u.email, email_verified: true, name: u.name, ...customClaims(u) };
        },
      };
    },
    async extraTokenClaims(ctx, token) {
      const u = token.accountId && bySub(token.accountId);
      return u ? customClaims(u) : undefined;
    },
    // A browser SPA does not ask for offline_access (which needs prompt=consent);
    // give every client allowed the grant a refresh token.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false }, // our own login page below
      rpInitiatedLogout: {
        enabled: true,
        // The library's own form (with its CSRF token), on a page like the login page.
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = page('Sign out', `${form}<p>Sign out of the Tessera demo provider?</p>
<button id="logout-yes" type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button id="logout-no" type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => AUDIENCE,
        useGrantedResource: async () => true,
        async getResourceServerInfo(ctx, indicator) {
          const alg = resourceAlg(indicator);
          if (!alg) throw new errors.InvalidTarget(`unknown resource; use ${AUDIENCE} or ${AUDIENCE}?alg=ES256|EdDSA|RS256`);
          return {
            audience: AUDIENCE,
            scope: API_SCOPE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: Number(opt['access-token-ttl']),
            jwt: { sign: { alg } },
          };
        },
      },
    },
    ttl: {
      AccessToken: (ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      AuthorizationCode: 60, IdToken: 3600, Interaction: 600,
      RefreshToken: 86400, Session: 86400, Grant: 86400,
    },
    clientBasedCORS: (ctx, origin, client) => client.redirectUris.some((u) => new URL(u).origin === origin),
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', `<p class="error">${esc(out.error)}: ${esc(out.error_description ?? '')}</p>`);
    },
  });
  provider.on('server_error', (ctx, err) => log('oidc server_error:', err));
  for (const ev of ['authorization.error', 'grant.error']) {
    provider.on(ev, (ctx, err) => opt.verbose && log(`oidc ${ev}: ${err.error}: ${err.error_detail ?? err.error_description}`));
  }
  return provider;
}

// ------------------------------------------------------------ login pages --
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:24em;margin:4em auto}label,input,button{display:block;width:100%;margin:.3em 0}.error{color:#b00}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`;

const loginPage = (uid, clientId, email = '', error = '') => page('Sign in', `
<p>to <b>${esc(clientId)}</b></p>
${error ? `<p class="error" id="error">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label for="email">E-mail</label><input id="email" name="email" type="email" value="${esc(email)}" required autofocus>
  <label for="password">Password</label><input id="password" name="password" type="password" required>
  <button id="submit" type="submit">Sign in</button>
</form>`);

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16384) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  if (details.uid !== uid) return send(res, 400, page('Error', '<p class="error">interaction mismatch</p>'));

  if (prompt.name === 'login') {
    if (req.method === 'GET' && !action) return send(res, 200, loginPage(uid, params.client_id));
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const u = byEmail(form.get('email') ?? '');
      const ok = u && crypto.timingSafeEqual(
        crypto.createHash('sha256').update(form.get('password') ?? '').digest(),
        crypto.createHash('sha256').update(u.password).digest(),
      );
      if (!ok) return send(res, 401, loginPage(uid, params.client_id, form.get('email') ?? '', 'Wrong e-mail or password.'));
      return provider.interactionFinished(req, res, { login: { accountId: u.sub } }, { mergeWithLastSubmission: false });
    }
  }

  // All clients here are first-party: grant whatever was asked for without a
  // consent page (as in oidc-provider's example, minus the button).
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  return send(res, 400, page('Error', `<p class="error">unexpected prompt ${esc(prompt.name)}</p>`));
}

// ------------------------------------------------------------------ admin --
const ADMIN_TOKEN = opt['admin-token'] ?? crypto.randomBytes(24).toString('base64url');
const fault = { mode: 'ok', delayMs: 0 };
const stats = { jwksFetches: 0, discoveryFetches: 0 };
const json = (res, status, obj) => send(res, status, `${JSON.stringify(obj)}\n`, 'application/json');

function admin(req, res, url) {
  const given = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${ADMIN_TOKEN}`);
  if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) {
    return json(res, 401, { error: 'missing or wrong Authorization: Bearer <ADMIN_TOKEN>' });
  }
  const q = url.searchParams;
  const route = `${req.method} ${url.pathname}`;
  const keyState = () => ({ signing: signingKids(), kids: keys.map((k) => k.kid) });

  if (route === 'GET /__admin/stats') return json(res, 200, stats);
  if (route === 'GET /__admin/keys') return json(res, 200, keyState());
  if (route === 'POST /__admin/rotate') {
    const alg = q.get('alg') ?? 'RS256';
    if (!ALGS.includes(alg)) return json(res, 400, { error: `alg must be one of ${ALGS.join(', ')}` });
    const key = newKey(alg);
    setKeys([key, ...keys]);
    return json(res, 200, { rotated: alg, kid: key.kid, ...keyState() });
  }
  if (route === 'POST /__admin/retire') {
    const key = keys.find((k) => k.kid === q.get('kid'));
    if (!key) return json(res, 404, { error: `no key with kid ${q.get('kid')}` });
    // Every alg keeps one key: the ID token and the alg selection need it.
    if (keys.filter((k) => k.alg === key.alg).length === 1) {
      return json(res, 409, { error: `${key.kid} is the only ${key.alg} key; rotate first` });
    }
    setKeys(keys.filter((k) => k !== key));
    return json(res, 200, { retired: key.kid, ...keyState() });
  }
  if (route === 'POST /__admin/fault') {
    const mode = q.get('mode');
    if (!['ok', 'down', 'slow'].includes(mode)) return json(res, 400, { error: 'mode must be ok, down or slow' });
    fault.mode = mode;
    fault.delayMs = mode === 'slow' ? Number(q.get('delayMs') ?? 5000) : 0;
    return json(res, 200, fault);
  }
  return json(res, 404, { error: `no admin route ${route}` });
}

// ----------------------------------------------------------------- server --
let provider;
let handle;
let issuer;
function setKeys(next) {
  // oidc-provider reads its keystore once, at construction: publish a changed
  // key set by building a new instance (state lives in SharedMemoryAdapter).
  keys = next;
  saveKeys(keys);
  provider = buildProvider(issuer);
  handle = provider.callback();
}

const DISCOVERY = new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);

async function route(req, res) {
  const url = new URL(req.url, issuer);
  if (opt.verbose) log(req.method, url.pathname);
  if (url.pathname.startsWith('/__admin/')) return admin(req, res, url);

  const m = url.pathname.match(/^\/interaction\/([\w-]+)(?:\/(login))?$/);
  if (m) {
    const p = provider; // keep one instance for the whole request
    try {
      return await interaction(p, req, res, m[1], m[2]);
    } catch (err) {
      if (err instanceof errors.SessionNotFound) {
        return send(res, 400, page('Error', '<p class="error">This sign-in has expired; start again from the application.</p>'));
      }
      throw err;
    }
  }

  const isJwks = url.pathname === '/jwks';
  if ((isJwks || DISCOVERY.has(url.pathname)) && (req.method === 'GET' || req.method === 'HEAD')) {
    // Counted before the fault so tests see requests that were refused too.
    stats[isJwks ? 'jwksFetches' : 'discoveryFetches'] += 1;
    if (fault.mode === 'down') return json(res, 503, { error: 'temporarily_unavailable', error_description: 'fault injected' });
    if (fault.mode === 'slow') await new Promise((r) => { setTimeout(r, fault.delayMs); });
    if (isJwks) res.setHeader('Cache-Control', `public, max-age=${Number(opt['jwks-max-age'])}`);
  }
  return handle(req, res);
}

const server = http.createServer((req, res) => {
  route(req, res).catch((err) => {
    log('request failed:', err);
    if (!res.headersSent) json(res, 500, { error: 'server_error' });
    else res.destroy();
  });
});
step('asked to listen');
server.listen(Number(opt.port), '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  step('bound');
  setKeys(keys);
  step('provider built');
  process.stdout.write(`ISSUER=${issuer}\nADMIN_TOKEN=${ADMIN_TOKEN}\n`);
  log(`tessera test OIDC provider at ${issuer} (state ${stateDir}, audience ${AUDIENCE}, default alg ${opt['access-token-alg']})`);
  log('demo users (e-mail / password / tenant):');
  for (const u of users) log(`  ${u.email} / ${u.password} / ${u.tenant} (${customClaims(u)[NS].role})`);
});
server.on('error', (err) => { log(`cannot listen: ${err.message}`); process.exit(1); });
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
}
