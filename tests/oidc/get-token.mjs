#!/usr/bin/env node
// Gets tokens from the test provider the way a browser app would, without a
// browser: Authorization Code + PKCE (S256), the real login form, cookies and
// redirects, then the code exchange at the token endpoint. Prints the token
// endpoint's JSON response on stdout; exits 1 with a message on any failure.
//
//   node get-token.mjs --issuer URL --email E --password P [--audience A]
//        [--alg RS256|ES256|EdDSA] [--redirect-uri U]
//        [--client-id tessera-dashboard] [--client-secret S] [--scope S]
import * as crypto from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    issuer: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    audience: { type: 'string', default: 'https://tessera.local/api' },
    alg: { type: 'string' },
    'redirect-uri': { type: 'string', default: 'http://127.0.0.1:4000/callback' },
    'client-id': { type: 'string', default: 'tessera-dashboard' },
    'client-secret': { type: 'string' },
    scope: { type: 'string', default: 'openid email profile api:read' },
  },
});

function fail(msg) {
  process.stderr.write(`get-token: ${msg}\n`);
  process.exit(1);
}
for (const k of ['issuer', 'email', 'password']) if (!opt[k]) fail(`--${k} is required`);
if (opt.alg && !['RS256', 'ES256', 'EdDSA'].includes(opt.alg)) fail('--alg must be RS256, ES256 or EdDSA');

const issuer = opt.issuer.replace(/\/$/, '');
// The provider maps "<audience>?alg=X" to the same audience signed with X.
const resource = opt.alg ? `${opt.audience}?alg=${opt.alg}` : opt.audience;
const b64url = (buf) => Buffer.from(buf).toString('base64url');
const unescape = (html) => html.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(c)).replace(/&amp;/g, '&');

// A cookie jar for one host: the provider scopes its interaction cookies by
// path, but sending all of them everywhere is harmless.
const jar = new Map();
async function request(url, init = {}) {
  const headers = { ...init.headers };
  if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let res;
  try {
    res = await fetch(url, { ...init, headers, redirect: 'manual' });
  } catch (err) {
    fail(`${init.method ?? 'GET'} ${url}: ${err.cause?.message ?? err.message}`);
  }
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i).trim(), pair.slice(i + 1));
  }
  return res;
}

// Endpoints come from discovery like any client; fall back to oidc-provider's
// default paths so a token can still be had while a fault test has taken
// discovery down.
let endpoints = { authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` };
{
  const res = await request(`${issuer}/.well-known/openid-configuration`);
  if (res.ok) endpoints = await res.json();
  else process.stderr.write(`get-token: discovery answered ${res.status}; using default endpoints\n`);
}

const verifier = b64url(crypto.randomBytes(32));
const state = b64url(crypto.randomBytes(16));
const authUrl = new URL(endpoints.authorization_endpoint);
authUrl.search = new URLSearchParams({
  client_id: opt['client-id'],
  response_type: 'code',
  redirect_uri: opt['redirect-uri'],
  scope: opt.scope,
  state,
  nonce: b64url(crypto.randomBytes(16)),
  code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
  code_challenge_method: 'S256',
  resource,
});

// Follow redirects until the provider sends us to the redirect URI; fill in
// the login form when it shows up.
let url = authUrl.href;
let res = await request(url);
let loggedIn = false;
let callback;
for (let hops = 0; hops < 20 && !callback; hops++) {
  if (res.status >= 300 && res.status < 400) {
    const next = new URL(res.headers.get('location'), url).href;
    if (next.startsWith(opt['redirect-uri'])) { callback = new URL(next); break; }
    url = next;
    res = await request(url);
    continue;
  }
  const html = await res.text();
  const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
  // The provider's pages show what went wrong in an element of class "error".
  const why = unescape(html.match(/class="error"[^>]*>([^<]*)</)?.[1] ?? '');
  if (!html.includes('name="password"') || !action) {
    fail(`unexpected ${res.status} from ${url}: ${why || html.slice(0, 300)}`);
  }
  if (loggedIn) fail(`login failed for ${opt.email}: ${why || 'login form shown again'}`);
  loggedIn = true;
  url = new URL(unescape(action), url).href;
  res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: opt.email, password: opt.password }),
  });
}
if (!callback) fail('too many redirects before reaching the redirect URI');

const p = callback.searchParams;
if (p.get('error')) fail(`authorization failed: ${p.get('error')}: ${p.get('error_description') ?? ''}`);
if (p.get('state') !== state) fail('state mismatch in the authorization response');
// RFC 9207: the provider names itself in the response; check it is ours.
if (p.get('iss') && p.get('iss') !== issuer) fail(`authorization response from ${p.get('iss')}, expected ${issuer}`);
if (!p.get('code')) fail(`no code in ${callback.href}`);

const headers = { 'content-type': 'application/x-www-form-urlencoded' };
const form = {
  grant_type: 'authorization_code',
  code: p.get('code'),
  redirect_uri: opt['redirect-uri'],
  code_verifier: verifier,
  resource,
};
if (opt['client-secret']) {
  headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(opt['client-id'])}:${encodeURIComponent(opt['client-secret'])}`).toString('base64')}`;
} else {
  form.client_id = opt['client-id'];
}
res = await request(endpoints.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form) });
const body = await res.text();
if (!res.ok) fail(`token endpoint answered ${res.status}: ${body}`);
process.stdout.write(`${body.trim()}\n`);
