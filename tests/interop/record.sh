#!/usr/bin/env bash
# Records token interoperability with real Cube 0.27.53 into cube-tokens.json:
#   - tokens minted by Cube's own library (jsonwebtoken 8.5.1, called as
#     `cubejs-cli token` calls it) with a shared secret, and Cube's verdict;
#   - a token minted by `tessera token` with the same secret, and Cube's answer
#     to a /load carrying it.
# The test command replays the file (tests/integration/cube_interop_test.cc):
# Tessera must accept every token Cube minted, with the same claims.
# Needs the oracle (../shared/oracle/cube-oracle.sh, npm) and PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
oracle="$root/../shared/oracle/cube-oracle.sh"
"$root/scripts/build.sh" "$root/build-release" --target tessera -DCMAKE_BUILD_TYPE=Release -DTESSERA_TESTS=OFF >/dev/null
tessera="$root/build-release/tessera"

work=$(mktemp -d /tmp/tessera-interop.XXXXXX)
chmod 755 "$work"
cube_pid=
cleanup() {
  [ -n "$cube_pid" ] && kill "$cube_pid" 2>/dev/null || true
  "$root/scripts/pg-test-server.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$("$root/scripts/pg-test-server.sh" start "$work/pg")"
"$tessera" demo-data --orders 1000 --sql --out - |
  PGOPTIONS="--client-min-messages=warning" psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d ecom -v ON_ERROR_STOP=1 >/dev/null

# A throwaway secret for this recording only; the fixture carries it so the
# test can verify the tokens.
secret=$(openssl rand -hex 32)
port=4103
cube_pid=$(CUBEJS_DB_PORT=$PGPORT CUBEJS_API_SECRET=$secret "$oracle" "$root/tests/differential/cube-model" $port | tail -1)
cube_dir=${TMPDIR:-/tmp}/cube-oracle-0.27.53
query='%7B%22measures%22%3A%5B%22Orders.count%22%5D%7D'

tessera_token=$("$tessera" token --secret "$secret" -p role=admin -p tenant=acme -e "3650 days" | sed -n 's/^Token: //p')
for _ in $(seq 1 30); do
  curl -s -o /dev/null -H "Authorization: $tessera_token" "http://127.0.0.1:$port/cubejs-api/v1/load?query=$query" && break
  sleep 1
done

SECRET=$secret TESSERA_TOKEN=$tessera_token PORT=$port QUERY=$query NODE_PATH="$cube_dir/node_modules" node - >"$root/tests/interop/cube-tokens.json" <<'JS'
const jwt = require('jsonwebtoken');
const { execFileSync } = require('child_process');
const secret = process.env.SECRET;
function load(token, attempt = 0) {
  for (;;) {
    const out = execFileSync('curl', ['-s', '-w', '\n%{http_code}', '-H', `Authorization: ${token}`,
      `http://127.0.0.1:${process.env.PORT}/cubejs-api/v1/load?query=${process.env.QUERY}`]).toString();
    const nl = out.lastIndexOf('\n');
    const body = JSON.parse(out.slice(0, nl));
    if (body.error === 'Continue wait' && attempt++ < 60) continue;
    return { status: Number(out.slice(nl + 1)), body };
  }
}
// As `cubejs-cli token` does: jwt.sign(payload, secret, { expiresIn }).
const minted = [
  { alg: 'HS256', claims: { role: 'admin', tenant: 'acme' } },
  { alg: 'HS256', claims: { u: { user_id: 131 }, sub: '1234567890' } },
  { alg: 'HS384', claims: { role: 'user', tenants: ['a', 'b'], n: 1.5 } },
  { alg: 'HS512', claims: { role: 'user', nested: { deep: { x: null } } } },
].map(({ alg, claims }) => {
  const token = jwt.sign(claims, secret, { expiresIn: '3650d', algorithm: alg });
  const answer = load(token);
  return { alg, token, claims: jwt.decode(token), cube_status: answer.status };
});
const fromTessera = load(process.env.TESSERA_TOKEN);
process.stdout.write(JSON.stringify({
  recorded_with: 'Cube 0.27.53 (@cubejs-backend/server), jsonwebtoken ' + require('jsonwebtoken/package.json').version,
  recorded_at: new Date().toISOString(),
  secret,
  minted_by_cube: minted,
  minted_by_tessera: { token: process.env.TESSERA_TOKEN, cube_status: fromTessera.status, cube_body: fromTessera.body },
}, null, 1) + '\n');
JS
echo "wrote tests/interop/cube-tokens.json"
jq '{tessera_token_status: .minted_by_tessera.cube_status, cube_tokens: [.minted_by_cube[] | .cube_status]}' "$root/tests/interop/cube-tokens.json"
