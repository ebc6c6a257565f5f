// Sends every case of queries.json to a running Cube 0.27.53 (or, for
// features Cube 0.27 lacks, runs the case's plain SQL on the same PostgreSQL
// through psql) and saves each answer as recorded/<name>.json.
// Usage: node record.mjs --cube URL --secret S --queries FILE --out DIR [--only REGEX]
// psql connection settings come from PGHOST/PGPORT/PGUSER/PGDATABASE.
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
for (const required of ['cube', 'secret', 'queries', 'out']) {
  if (!args[required]) throw new Error(`missing --${required}`);
}

const base64url = (data) => Buffer.from(data).toString('base64url');

// HS256 JWT, as `cubejs-cli token` makes: Cube in production mode requires one.
function signToken(payload, secret) {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

const now = Math.floor(Date.now() / 1000);
const token = signToken({ iat: now, exp: now + 3600 }, args.secret);

function authHeaders(auth) {
  switch (auth ?? 'token') {
    case 'token': return { Authorization: token };
    case 'bearer': return { Authorization: `Bearer ${token}` };
    case 'invalid': return { Authorization: signToken({ iat: now, exp: now + 3600 }, 'not-the-secret') };
    case 'none': return {};
    default: throw new Error(`unknown auth ${auth}`);
  }
}

// Values that change from run to run and carry no meaning for Tessera.
const VOLATILE = new Set(['lastRefreshTime', 'requestId']);
function dropVolatile(value) {
  if (Array.isArray(value)) return value.map(dropVolatile);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, dropVolatile(v)]));
  }
  return value;
}

async function askCube(c) {
  const endpoint = c.endpoint ?? 'load';
  const method = c.method ?? 'GET';
  const url = new URL(`/cubejs-api/v1/${endpoint}`, args.cube);
  const init = { method, headers: authHeaders(c.auth) };
  if (method === 'GET') {
    if (c.query !== undefined) {
      // A string is sent as is (malformed JSON); anything else as JSON text.
      url.searchParams.set('query', typeof c.query === 'string' ? c.query : JSON.stringify(c.query));
    }
    if (c.queryType) url.searchParams.set('queryType', c.queryType);
  } else {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify({ query: c.query, ...(c.queryType ? { queryType: c.queryType } : {}) });
  }
  // Cube answers {"error":"Continue wait"} while a query is still running.
  for (let attempt = 0; attempt < 60; ++attempt) {
    const res = await fetch(url, init);
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { nonJsonBody: text };
    }
    if (body && body.error === 'Continue wait') continue;
    return { status: res.status, body: dropVolatile(body) };
  }
  throw new Error(`${c.name}: still "Continue wait" after 60 attempts`);
}

function psqlJson(sql) {
  const out = execFileSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  return JSON.parse(out);
}

// Features Cube 0.27 lacks: the expected rows come from plain SQL whose column
// aliases are the member keys and whose values are already text, as Cube
// returns them. `totalSql`, when present, gives the `total` field.
function askSql(c) {
  const data = psqlJson(`SELECT coalesce(json_agg(t), '[]'::json) FROM (${c.sql}) t`);
  const body = { data };
  if (c.totalSql) body.total = psqlJson(`SELECT to_json((${c.totalSql}))`);
  return { status: 200, body };
}

const cases = JSON.parse(readFileSync(args.queries, 'utf8'));
const names = new Set();
for (const c of cases) {
  if (!/^[a-z0-9_]+$/.test(c.name) || names.has(c.name)) throw new Error(`bad or duplicate name ${c.name}`);
  names.add(c.name);
}
mkdirSync(args.out, { recursive: true });
const only = args.only ? new RegExp(args.only) : null;
if (!only) {
  for (const f of readdirSync(args.out)) {
    if (f.endsWith('.json') && !names.has(f.slice(0, -5))) unlinkSync(join(args.out, f));
  }
}

let recorded = 0;
for (const c of cases) {
  if (only && !only.test(c.name)) continue;
  const source = c.sql ? 'sql' : 'cube';
  const answer = source === 'sql' ? askSql(c) : await askCube(c);
  const request = {
    method: c.method ?? 'GET',
    endpoint: c.endpoint ?? 'load',
    auth: c.auth ?? 'token',
    ...(c.query !== undefined ? { query: c.query } : {}),
    ...(c.queryType ? { queryType: c.queryType } : {}),
  };
  const record = {
    name: c.name,
    description: c.description,
    source,
    ...(source === 'sql' ? { sql: c.sql, ...(c.totalSql ? { totalSql: c.totalSql } : {}) } : {}),
    request,
    status: answer.status,
    body: answer.body,
  };
  writeFileSync(join(args.out, `${c.name}.json`), `${JSON.stringify(record, null, 1)}\n`);
  ++recorded;
  const summary = answer.body?.error ? `error: ${String(answer.body.error).slice(0, 100)}` : `${answer.body?.data?.length ?? '-'} rows`;
  console.log(`${String(answer.status).padEnd(4)} ${source.padEnd(5)} ${c.name}: ${summary}`);
}
console.log(`recorded ${recorded} case(s) into ${args.out}`);
