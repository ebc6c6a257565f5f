#!/usr/bin/env bash
# Self-check of the test OpenID Connect provider: real logins for each alg,
# claim shapes, key rotation and retirement, JWKS faults and fetch counters.
# Exits 0 only if every check passed; prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

./install.sh || { echo "install failed"; exit 1; }

state=$(mktemp -d)
out=$state/provider.out
node provider.mjs --port 0 --state-dir "$state/keys" --jwks-max-age 42 >"$out" 2>"$state/provider.err" &
pid=$!
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$state"; }
trap stop EXIT

for _ in $(seq 100); do grep -q '^ADMIN_TOKEN=' "$out" && break; sleep 0.1; done
issuer=$(sed -n 's/^ISSUER=//p' "$out")
admin_token=$(sed -n 's/^ADMIN_TOKEN=//p' "$out")
if [ -z "$issuer" ] || [ -z "$admin_token" ]; then
  echo "provider did not start:"; cat "$state/provider.err"; exit 1
fi
echo "provider at $issuer (pid $pid)"

audience=https://tessera.local/api
ns=http://localhost:3000
passed=0 failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"
  else failed=$((failed + 1)); echo "FAIL $name"; fi
}
admin() { curl -sf -X "$1" -H "Authorization: Bearer $admin_token" "$issuer$2"; }
jqe() { jq -e "$@" >/dev/null; }
jwks_kids() { curl -sf "$issuer/jwks" | jq -r '.keys[].kid' | sort | tr '\n' ' '; }

# Decodes a JWT's header and payload into one JSON object {header, payload}.
decode() {
  node -e 'const [h, p] = process.argv[1].split(".").slice(0, 2).map((s) => JSON.parse(Buffer.from(s, "base64url")));
           console.log(JSON.stringify({ header: h, payload: p }));' "$1"
}

# verify_sig JWT: the signature checks out with the key its kid names in /jwks.
verify_sig() {
  node -e 'const crypto = require("node:crypto");
    const [jwt, jwks] = [process.argv[1], JSON.parse(process.argv[2])];
    const [h, p, s] = jwt.split(".");
    const { alg, kid } = JSON.parse(Buffer.from(h, "base64url"));
    const key = crypto.createPublicKey({ key: jwks.keys.find((k) => k.kid === kid), format: "jwk" });
    const ok = crypto.verify(alg === "EdDSA" ? null : "sha256", Buffer.from(`${h}.${p}`),
      { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
    process.exit(ok ? 0 : 1);' "$1" "$(curl -sf "$issuer/jwks")" 2>/dev/null
}

# token EMAIL PASSWORD ALG -> prints the access token
token() {
  node get-token.mjs --issuer "$issuer" --email "$1" --password "$2" --alg "$3" >"$state/tok.json" || return 1
  jq -r .access_token "$state/tok.json"
}

# check_token JSON ALG ROLE TENANT: header, registered and namespaced claims.
check_token() {
  local kids; kids=$(jwks_kids)
  jqe --arg iss "$issuer" --arg aud "$audience" --arg alg "$2" --arg role "$3" --arg tenant "$4" \
        --arg ns "$ns" --arg kids "$kids" '
    .header.kid as $kid
    | .header.alg == $alg and .header.typ == "at+jwt" and ($kid | type == "string")
    and ($kids | split(" ") | index($kid)) != null
    and .payload.iss == $iss and .payload.aud == $aud
    and (.payload.sub | type == "string") and (.payload.exp > .payload.iat)
    and .payload.scope == "api:read" and .payload.client_id == "tessera-dashboard"
    and .payload[$ns].role == $role and .payload[$ns].tenant == $tenant' <<<"$1"
}

for alg in RS256 ES256 EdDSA; do
  for who in "alice@admin.example alice-password admin acme" "bob@acme.example bob-password user acme"; do
    set -- $who
    if at=$(token "$1" "$2" $alg); then
      check "$1 $alg token claims" check_token "$(decode "$at")" $alg "$3" "$4"
      check "$1 $alg token signature" verify_sig "$at"
    else
      check "$1 $alg token" false
    fi
  done
done
check "id token carries the namespaced claims" \
  jqe --arg ns "$ns" '.id_token | split(".")[1] | @base64d | fromjson | .[$ns].role == "user" and .email == "bob@acme.example"' "$state/tok.json"
refused() { # refused EXPECTED-MESSAGE get-token-args...: fails with that message
  local msg=$1 err; shift
  if err=$(node get-token.mjs --issuer "$issuer" "$@" 2>&1 >/dev/null); then return 1; fi
  grep -q "$msg" <<<"$err"
}
check "wrong password is refused" refused 'Wrong e-mail or password' --email bob@acme.example --password nope
check "unknown audience is refused" refused invalid_target \
  --email bob@acme.example --password bob-password --audience https://other.example/api

# Rotation: new RS256 key signs, old one stays published.
old_kid=$(decode "$(token bob@acme.example bob-password RS256)" | jq -r .header.kid)
refresh_token=$(jq -r .refresh_token "$state/tok.json")
new_kid=$(admin POST "/__admin/rotate?alg=RS256" | jq -r .kid)
at=$(token bob@acme.example bob-password RS256)
check "rotated key signs new tokens" test "$(decode "$at" | jq -r .header.kid)" = "$new_kid"
check "rotated key's token signature" verify_sig "$at"
at=$(curl -sf "$issuer/token" -d grant_type=refresh_token -d client_id=tessera-dashboard \
       --data-urlencode "refresh_token=$refresh_token" | jq -r .access_token)
check "refresh token survives the rotation" test "$(decode "$at" | jq -r .header.kid)" = "$new_kid"
check "JWKS publishes old and new kid" grep -q "$old_kid.*$new_kid\|$new_kid.*$old_kid" <<<"$(jwks_kids)"
check "keys persisted in the state dir" jqe --arg k "$new_kid" '[.keys[].kid] | index($k)' "$state/keys/jwks.json"

# Retirement: the old kid disappears from the JWKS.
admin POST "/__admin/retire?kid=$old_kid" >/dev/null
check "retired kid is gone" bash -c '! grep -q "$1" <<<"$2"' _ "$old_kid" "$(jwks_kids)"
check "last key of an alg cannot be retired" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $admin_token" "$issuer/__admin/retire?kid=$new_kid")" = 409
check "admin needs the token" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$issuer/__admin/rotate?alg=RS256")" = 401
check "JWKS Cache-Control max-age" grep -qi '^cache-control: public, max-age=42' <<<"$(curl -sf -D - -o /dev/null "$issuer/jwks")"

# Faults and counters.
before=$(admin GET /__admin/stats)
admin POST "/__admin/fault?mode=down" >/dev/null
check "JWKS down answers 503" test "$(curl -s -o /dev/null -w '%{http_code}' "$issuer/jwks")" = 503
check "discovery down answers 503" test "$(curl -s -o /dev/null -w '%{http_code}' "$issuer/.well-known/openid-configuration")" = 503
admin POST "/__admin/fault?mode=slow&delayMs=700" >/dev/null
t=$(curl -s -o /dev/null -w '%{time_total}' "$issuer/jwks")
check "JWKS slow answers after the delay ($t s)" awk -v t="$t" 'BEGIN { exit !(t >= 0.7) }'
admin POST "/__admin/fault?mode=ok" >/dev/null
check "JWKS back to 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$issuer/jwks")" = 200
after=$(admin GET /__admin/stats)
check "stats count JWKS and discovery fetches" jqe -n --argjson b "$before" --argjson a "$after" \
  '$a.jwksFetches - $b.jwksFetches == 3 and $a.discoveryFetches - $b.discoveryFetches == 1'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
