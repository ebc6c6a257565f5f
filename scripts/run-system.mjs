#!/usr/bin/env node
// The whole secured system on one machine, as the tutorial ends up with it:
// the OpenID Connect provider (tests/oidc/provider.mjs, with its demo users),
// Tessera outside dev mode trusting that provider (tenants from its claim,
// each tenant a SQLite database of generated demo data), and the dashboard
// served by Tessera at /. Used by scripts/demo.sh (in the foreground, until
// Ctrl-C) and by the browser tests (imported: startSystem()).
//
//   node scripts/run-system.mjs --tessera build/tessera [--port 4000]
//        [--provider-port 4001] [--work-dir DIR] [--access-token-ttl S]
//
// Every server listens on 127.0.0.1 only and is stopped by its process id.
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const AUDIENCE = 'https://tessera.local/api';
export const NAMESPACE = 'http://localhost:3000';
// The demo users (tests/oidc/users.json): e-mail, password, tenant; the
// provider makes @admin.example addresses admins.
export const USERS = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/oidc/users.json'), 'utf8'));
// Two tenants of different sizes, so their figures differ.
const TENANTS = [
  { id: 'acme', orders: 3000, seed: 101 },
  { id: 'globex', orders: 5000, seed: 202 },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Starts a child whose stdout is read line by line until `ready(line)` gives
// a value; its stderr (and the rest of stdout) goes to `logFile`.
export function startChild(name, command, args, { cwd, env, logFile, ready, timeoutMs = 120000 }) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    let text = '';
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        try { child.kill('SIGKILL'); } catch { /* already gone */ }
        reject(new Error(`${name}: ${err}\n--- its log (${logFile}) ---\n${fs.readFileSync(logFile, 'utf8').slice(-4000)}`));
      } else {
        // Keep draining stdout into the log so the child never blocks on a full pipe.
        child.stdout.on('data', (d) => fs.appendFileSync(logFile, d));
        resolve({ child, value });
      }
    };
    const timer = setTimeout(() => finish(`not ready after ${timeoutMs} ms; stdout: ${text}`), timeoutMs);
    child.on('error', (e) => finish(`cannot start: ${e.message}`));
    child.on('exit', (code, sig) => finish(`exited (${code ?? sig}) before it was ready; stdout: ${text}`));
    child.stdout.on('data', (d) => {
      if (done) return;
      text += d;
      const value = ready(text);
      if (value) finish(null, value);
    });
  });
}

export function stopChild(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
}

function tesseraYaml(issuer) {
  return `# Written by scripts/run-system.mjs: the provider is the one issuer
# Tessera trusts; the tenant comes from its namespaced claim, and each tenant
# has its own SQLite database.
issuers:
  - issuer: ${issuer}
    audience: ${AUDIENCE}
    claims_namespace: ${NAMESPACE}
    tenants: [${TENANTS.map((t) => t.id).join(', ')}]
tenancy:
  claim: tenant
  id_pattern: "^[a-z]+$"
  data_source:
    type: sqlite
    file: "tenants/{tenant}.db"
`;
}

// Starts the provider and Tessera; resolves to { url, issuer, adminToken,
// workDir, stop() }. `port` 0 picks free ports.
export async function startSystem({
  tessera,
  port = 0,
  providerPort = 0,
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-system-')),
  accessTokenTtl = 3600,
  webDir = path.join(ROOT, 'web/dist'),
  env = {},  // more settings for tessera serve (tests: TESSERA_API_SCOPES, ...)
} = {}) {
  if (!tessera || !fs.existsSync(tessera)) throw new Error(`no tessera binary at ${tessera}`);
  fs.mkdirSync(path.join(workDir, 'tenants'), { recursive: true });
  for (const t of TENANTS) {
    const db = path.join(workDir, 'tenants', `${t.id}.db`);
    if (!fs.existsSync(db)) {
      execFileSync(tessera, ['demo-data', '--out', db, '--orders', String(t.orders), '--seed', String(t.seed)], { stdio: 'ignore' });
    }
  }
  const apiPort = port || await freePort();
  const started = [];
  const stop = async () => { for (const c of started.reverse()) await stopChild(c); };
  try {
    const redirects = [`http://127.0.0.1:${apiPort}/callback`, `http://localhost:${apiPort}/callback`];
    const provider = await startChild('the OpenID Connect provider', process.execPath, [
      path.join(ROOT, 'tests/oidc/provider.mjs'), '--port', String(providerPort),
      '--state-dir', path.join(workDir, 'oidc'), '--audience', AUDIENCE, '--namespace', NAMESPACE,
      '--access-token-ttl', String(accessTokenTtl), ...redirects.flatMap((u) => ['--redirect-uri', u]),
    ], {
      cwd: workDir,
      logFile: path.join(workDir, 'provider.log'),
      ready: (text) => {
        const issuer = text.match(/^ISSUER=(.*)$/m)?.[1];
        const admin = text.match(/^ADMIN_TOKEN=(.*)$/m)?.[1];
        return issuer && admin ? { issuer, admin } : undefined;
      },
    });
    started.push(provider.child);
    const { issuer, admin } = provider.value;
    fs.writeFileSync(path.join(workDir, 'tessera.yaml'), tesseraYaml(issuer));
    const server = await startChild('tessera serve', tessera, ['serve'], {
      cwd: workDir,
      env: {
        CUBEJS_DEV_MODE: 'false',
        CUBEJS_DB_TYPE: 'sqlite',
        CUBEJS_SCHEMA_PATH: path.join(ROOT, 'demo/model'),
        PORT: String(apiPort),
        TESSERA_LISTEN_ADDRESS: '127.0.0.1',
        TESSERA_WEB_DIR: webDir,
        TESSERA_WEB_OIDC_AUTHORITY: issuer,
        TESSERA_WEB_OIDC_RESOURCE: AUDIENCE,
        TESSERA_AUDIT_LOG: 'audit/audit.log',
        ...env,
      },
      logFile: path.join(workDir, 'tessera.log'),
      ready: (text) => (/^Tessera is serving/m.test(text) ? true : undefined),
    });
    started.push(server.child);
    return { url: `http://127.0.0.1:${apiPort}`, issuer, adminToken: admin, workDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main() {
  const { values: opt } = parseArgs({
    options: {
      tessera: { type: 'string', default: path.join(ROOT, 'build/tessera') },
      port: { type: 'string', default: '4000' },
      'provider-port': { type: 'string', default: '4001' },
      'work-dir': { type: 'string', default: path.join(ROOT, 'demo/system') },
      'access-token-ttl': { type: 'string', default: '3600' },
    },
  });
  const system = await startSystem({
    tessera: path.resolve(opt.tessera),
    port: Number(opt.port),
    providerPort: Number(opt['provider-port']),
    workDir: path.resolve(opt['work-dir']),
    accessTokenTtl: Number(opt['access-token-ttl']),
  });
  const pad = (s, n) => s.padEnd(n);
  process.stdout.write(`
  Tessera's secured demo is running (logs in ${system.workDir}):

    Dashboard       ${system.url}/            <- open this and click "Sign in"
    API             ${system.url}/cubejs-api/v1   (every request needs a token)
    Sign-in (OIDC)  ${system.issuer}

  Demo users (e-mail / password / tenant / role):
${USERS.map((u) => `    ${pad(u.email, 22)} ${pad(u.password, 16)} ${pad(u.tenant, 7)} ${u.email.endsWith('@admin.example') ? 'admin' : 'user'}`).join('\n')}

  A token for curl:  node tests/oidc/get-token.mjs --issuer ${system.issuer} \\
      --email bob@acme.example --password bob-password --redirect-uri ${system.url}/callback | jq -r .access_token
  Ctrl-C stops everything.
`);
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      if (stopping) return;
      stopping = true;
      await system.stop();
      process.exit(0);
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`run-system: ${err.message}\n`);
    process.exit(1);
  });
}
