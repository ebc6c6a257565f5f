#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for tests, in a directory of its own.
#
#   scripts/pg-test-server.sh start DIR   # init (first time) + start; prints PGPORT=... PGPID=...
#   scripts/pg-test-server.sh stop DIR [--remove]   # fast shutdown; --remove also deletes DIR
#   scripts/pg-test-server.sh status DIR  # prints PGPORT/PGPID and exits 0 when running
#   scripts/pg-test-server.sh restart DIR # fast restart on the same port (kills every session)
#
#   eval "$(scripts/pg-test-server.sh start /tmp/tessera-pg)"
#   TESSERA_TEST_PG_PORT=$PGPORT ctest ...
#   scripts/pg-test-server.sh stop /tmp/tessera-pg --remove
#
# The server listens on 127.0.0.1 only (and on a Unix socket inside DIR),
# trusts every local connection (superuser "postgres", no password) and runs
# with fsync off: for tests only, never for data anyone wants to keep.
#
# Environment:
#   TESSERA_TEST_PG_DB   database to create (default: ecom)
#   PG_BIN               server binaries (default: /usr/lib/postgresql/15/bin)
#   PG_FIRST_PORT        first port tried (default: 55432); the next free one is used
#
# Works on a bare Debian 12 with the `postgresql` package: it uses the
# binaries directly, not pg_ctlcluster or systemd. initdb and the server
# refuse to run as root, so as root they run as the `postgres` OS user, which
# then owns DIR. Only the PGPORT/PGPID lines go to stdout (for eval); progress
# and errors go to stderr.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=${TESSERA_TEST_PG_DB:-ecom}
FIRST_PORT=${PG_FIRST_PORT:-55432}
PORT_ATTEMPTS=100
SUPERUSER=postgres

die() { echo "pg-test-server: $*" >&2; exit 1; }
say() { echo "pg-test-server: $*" >&2; }

usage() {
  sed -n '2,9p' "$0" >&2
  exit 2
}

# Runs a command as the cluster's OS user: `postgres` when we are root,
# ourselves otherwise.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null; then
      runuser -u postgres -- "$@"
    else
      # su needs one shell string: quote every argument.
      su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

# Prints the pid of the server running in $DIR, or nothing.
running_pid() {
  local pidfile="$DIR/postmaster.pid" pid
  [[ -r $pidfile ]] || return 0
  pid=$(head -n 1 "$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  fi
}

# The port recorded in postmaster.pid (line 4).
running_port() { sed -n 4p "$DIR/postmaster.pid"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_vars() {
  echo "PGPORT=$1"
  echo "PGPID=$2"
}

init_cluster() {
  [[ -x $PG_BIN/initdb ]] ||
    die "no PostgreSQL server binaries in $PG_BIN (apt-get install postgresql, or set PG_BIN)"
  if [[ -e $DIR && -n $(ls -A "$DIR" 2>/dev/null) ]]; then
    die "$DIR exists, is not empty and holds no cluster (no PG_VERSION); refusing to touch it"
  fi
  # The socket path ($DIR/.s.PGSQL.NNNNN) must fit in sun_path (107 bytes).
  if (( ${#DIR} + 18 > 107 )); then
    die "$DIR is too long for a Unix socket path; use a shorter one (e.g. under /tmp)"
  fi
  mkdir -p "$DIR"
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (it comes with the postgresql package)"
    chown postgres:postgres "$DIR"
    as_owner test -w "$DIR" ||
      die "the postgres user cannot write $DIR (a parent directory is not searchable?); use a path under /tmp"
  fi
  chmod 700 "$DIR"
  say "initialising a cluster in $DIR"
  # --no-sync: a test cluster need not survive a power cut.
  local out
  if ! out=$(as_owner "$PG_BIN/initdb" -D "$DIR" -U "$SUPERUSER" --auth=trust --encoding=UTF8 \
    --locale=C --no-sync 2>&1); then
    echo "$out" >&2
    die "initdb failed"
  fi
  # Single quotes doubled for postgresql.conf's quoting.
  local sockdir=${DIR//"'"/"''"}
  # Settings that must hold on every start live in postgresql.conf; the port,
  # which may change from one start to the next, goes in tessera-port.conf.
  cat >>"$DIR/postgresql.conf" <<EOF

# --- pg-test-server.sh: a test server, never for real data ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
include_if_exists = 'tessera-port.conf'
EOF
  # Trust only loopback and the socket inside DIR (initdb's defaults with
  # --auth=trust, written out so the intent is visible).
  cat >"$DIR/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf"; fi
}

start() {
  local pid port
  if [[ -f $DIR/PG_VERSION ]]; then
    pid=$(running_pid)
    if [[ -n $pid ]]; then
      say "already running in $DIR"
      print_vars "$(running_port)" "$pid"
      return 0
    fi
  else
    init_cluster
  fi

  local started=
  for ((port = FIRST_PORT; port < FIRST_PORT + PORT_ATTEMPTS; port++)); do
    port_in_use "$port" && continue
    # A stale lock file of another cluster's socket for this port would also
    # stop the server; the socket lives in DIR, so only ours can collide.
    echo "port = $port" >"$DIR/tessera-port.conf"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$DIR/tessera-port.conf"; fi
    local seen=0
    [[ -f $DIR/server.log ]] && seen=$(wc -l <"$DIR/server.log")
    # -w: wait until the server accepts connections (or fails).
    if as_owner "$PG_BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null; then
      started=1
      break
    fi
    if tail -n +"$((seen + 1))" "$DIR/server.log" 2>/dev/null |
      grep -q "could not bind\|could not create listen socket\|Address already in use"; then
      say "port $port taken meanwhile, trying the next one"
      continue
    fi
    tail -n 20 "$DIR/server.log" >&2 || true
    die "the server did not start (log: $DIR/server.log)"
  done
  [[ -n $started ]] || die "no free port in $FIRST_PORT..$((FIRST_PORT + PORT_ATTEMPTS - 1))"

  # pg_ctl -w already waited; pg_isready double-checks the TCP listener.
  local i
  for ((i = 0; i < 100; i++)); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.1
  done
  "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" || die "server on port $port does not answer"

  local exists
  # The name travels as a psql variable, quoted by psql (:'name'), never
  # pasted into SQL text.
  exists=$(echo "SELECT 1 FROM pg_database WHERE datname = :'name';" |
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -Atq -v name="$DB_NAME")
  if [[ $exists != 1 ]]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -- "$DB_NAME"
    say "created database $DB_NAME"
  fi
  pid=$(running_pid)
  say "PostgreSQL listening on 127.0.0.1:$port (pid $pid, data in $DIR)"
  print_vars "$port" "$pid"
}

stop() {
  local pid
  pid=$(running_pid)
  if [[ -n $pid ]]; then
    as_owner "$PG_BIN/pg_ctl" -D "$DIR" -m fast -w -t 60 stop >/dev/null
    say "stopped the server (pid $pid) in $DIR"
  else
    say "no server running in $DIR"
  fi
  if [[ ${1:-} == --remove ]]; then
    # Only a directory that holds a cluster, so a typo cannot wipe anything else.
    if [[ -f $DIR/PG_VERSION ]]; then
      rm -rf -- "$DIR"
      say "removed $DIR"
    elif [[ -e $DIR ]]; then
      die "$DIR holds no cluster (no PG_VERSION); not removing it"
    fi
  elif [[ -n ${1:-} ]]; then
    usage
  fi
}

restart() {
  [[ -n $(running_pid) ]] || die "no server running in $DIR"
  local port
  port=$(running_port)
  # Same data directory, same tessera-port.conf: the same port.
  as_owner "$PG_BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -m fast -w -t 60 restart >/dev/null
  say "restarted the server in $DIR"
  print_vars "$port" "$(running_pid)"
}

status() {
  local pid
  pid=$(running_pid)
  [[ -n $pid ]] || { say "no server running in $DIR"; exit 1; }
  print_vars "$(running_port)" "$pid"
}

[[ $# -ge 2 ]] || usage
CMD=$1
DIR=$2
shift 2
[[ -n $DIR ]] || usage
# An absolute path: the server changes directory, and the socket path is
# resolved relative to the data directory.
DIR=$(realpath -m -- "$DIR")

case $CMD in
  start) [[ $# -eq 0 ]] || usage; start ;;
  stop) stop "$@" ;;
  status) status ;;
  restart) restart ;;
  *) usage ;;
esac
