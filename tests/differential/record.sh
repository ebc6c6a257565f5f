#!/usr/bin/env bash
# Re-records the oracle answers in recorded/ from real Cube 0.27.53.
# Starts a private PostgreSQL 15 (temp dir, 127.0.0.1, free port, fsync off),
# loads the full default demo data set, starts Cube on cube-model/ with
# ../shared/oracle/cube-oracle.sh, runs record.mjs over queries.json, then
# stops both servers by pid and removes the temp dir.
# Usage: tests/differential/record.sh [ONLY_NAME_REGEX]
# Env: BUILD_DIR (default build-demo), CUBE_ORACLE (path to cube-oracle.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-demo}
oracle=${CUBE_ORACLE:-$root/../shared/oracle/cube-oracle.sh}
pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}

# The recordings are only valid for the YAML model if both models agree.
node "$here/check-models.mjs" "$here/cube-model" "$root/demo/model"

work=$(mktemp -d /tmp/tessera-record.XXXXXX)
chmod 755 "$work"
pg_pid="" cube_pid=""
cleanup() {
  # Only the two servers started here, by pid.
  if [ -n "$cube_pid" ]; then kill "$cube_pid" 2>/dev/null || true; fi
  if [ -n "$pg_pid" ]; then
    # pg_ctl sends SIGINT (fast shutdown) to the pid in postmaster.pid and
    # waits until it is gone; kill that pid directly if pg_ctl cannot.
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 ||
      kill -INT "$pg_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The demo data's SQL printer: from the project build, or, when the project
# does not configure (other stages mid-change), compiled directly; it needs
# only src/demo, Abseil and SQLite.
demo_sql=$build/tests/demo/demo_sql
if ! { cmake -S "$root" -B "$build" && cmake --build "$build" --target demo_sql -j2; } >"$work/build.log" 2>&1; then
  echo "project build failed (see below); compiling demo_sql directly" >&2
  tail -5 "$work/build.log" >&2
  demo_sql=$work/demo_sql
  # shellcheck disable=SC2046
  g++ -std=c++20 -O2 -I"$root/src" "$root"/src/demo/*.cc "$root/tests/demo/demo_sql_tool.cc" \
    -o "$demo_sql" $(pkg-config --libs absl_strings absl_str_format absl_time absl_status sqlite3)
fi

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# PostgreSQL: initdb refuses root, so the cluster belongs to the postgres OS
# user. C collation, like SQLite's binary one, so string ordering is bytewise;
# UTC so timestamp columns mean UTC.
pg_port=$(free_port)
pgdata=$work/pgdata
mkdir "$pgdata" && chown postgres: "$pgdata"
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 \
  --locale=C >"$work/initdb.log"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pgdata -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC" \
  start >/dev/null
pg_pid=$(head -1 "$pgdata/postmaster.pid")
export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'
psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE ecom"
"$demo_sql" | psql -q -v ON_ERROR_STOP=1 -d ecom >/dev/null
psql -q -d ecom -c "ANALYZE"
echo "postgres pid $pg_pid on 127.0.0.1:$pg_port loaded: $(psql -tA -d ecom -c 'SELECT count(*) FROM orders') orders"

# Cube: the preload keeps it on 127.0.0.1 (it has no listen-address setting).
cube_port=$(free_port)
cube_pid=$(CUBEJS_DB_HOST=127.0.0.1 CUBEJS_DB_PORT=$pg_port CUBEJS_DB_NAME=ecom \
  CUBEJS_DB_USER=postgres CUBEJS_API_SECRET=secret \
  NODE_OPTIONS="--require $here/loopback-only.cjs" "$oracle" "$here/cube-model" "$cube_port" | tail -1)
echo "cube pid $cube_pid on 127.0.0.1:$cube_port"

PGDATABASE=ecom node "$here/record.mjs" --cube "http://127.0.0.1:$cube_port" --secret secret \
  --queries "$here/queries.json" --out "$here/recorded" ${1:+--only "$1"}
