#!/usr/bin/env bash
# Start a real PostgreSQL for the index tests and benchmark, and print its SQLAlchemy URL.
#
#   SOHOA_TEST_PG_URL="$(bash scripts/start-postgres.sh)"
#
# Prints exactly one line on stdout (postgresql+psycopg://sohoa_test:...@127.0.0.1:<port>/sohoa_test)
# when PostgreSQL is up with the `sohoa_test` role and database; otherwise prints nothing on
# stdout, explains why on stderr and still exits 0, so the tests can say why PostgreSQL was not used.
# As root it uses the Debian cluster (pg_lsclusters / pg_ctlcluster, creating `main` if missing);
# as another user it runs a private cluster under <repo>/.pgdata on port 54329. Idempotent.
set -uo pipefail

exec 3>&1 1>&2 # stdout is reserved for the URL; everything else goes to stderr
# fd 3 is closed (3>&-) for the servers started below: a daemon holding it would keep "$(...)" waiting forever.

ROLE=sohoa_test
DB=sohoa_test
PASSWORD=sohoa_test
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo "start-postgres: PostgreSQL not started: $*" >&2
  exit 0
}

newest_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

wait_ready() { # host port
  local i
  for i in $(seq 1 60); do
    "$BIN/pg_isready" -q -h "$1" -p "$2" && return 0
    sleep 0.5
  done
  return 1
}

BIN="$(newest_bin)" || fail "no PostgreSQL server binaries under /usr/lib/postgresql (install the Debian package 'postgresql': bash scripts/install-system.sh)"

if [ "$(id -u)" -eq 0 ]; then
  command -v pg_lsclusters >/dev/null || fail "pg_lsclusters missing (package postgresql-common)"
  id postgres >/dev/null 2>&1 || fail "no 'postgres' system user"
  # Prefer the newest version's clusters; take the first one listed.
  read -r VER NAME PORT STATUS _ < <(pg_lsclusters -h 2>/dev/null | sort -k1,1V -k2,2 | tail -n 1)
  if [ -z "${VER:-}" ]; then
    VER="$(basename "$(dirname "$BIN")")"
    NAME=main
    pg_createcluster "$VER" "$NAME" >/dev/null 2>&1 3>&- || fail "pg_createcluster $VER $NAME failed"
    read -r VER NAME PORT STATUS _ < <(pg_lsclusters -h "$VER" "$NAME")
  fi
  if [[ "$STATUS" != online* ]]; then
    pg_ctlcluster "$VER" "$NAME" start >/dev/null 2>&1 3>&- \
      || fail "pg_ctlcluster $VER $NAME start failed; see /var/log/postgresql/postgresql-$VER-$NAME.log"
  fi
  SOCKDIR=/var/run/postgresql
  wait_ready "$SOCKDIR" "$PORT" || fail "cluster $VER/$NAME on port $PORT did not become ready"
  PSQL=(runuser -u postgres -- "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" -p "$PORT" -d postgres -tA)
else
  PGDATA="$REPO/.pgdata"
  PORT="${SOHOA_PG_PORT:-54329}"
  SOCKDIR="$PGDATA"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    "$BIN/initdb" -D "$PGDATA" -A trust -U "$(id -un)" -E UTF8 >/dev/null 2>&1 || fail "initdb in $PGDATA failed"
  fi
  if ! "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
      -o "-p $PORT -k $SOCKDIR -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 3>&- \
      || fail "pg_ctl start failed; see $PGDATA/server.log"
  fi
  wait_ready "$SOCKDIR" "$PORT" || fail "private cluster on port $PORT did not become ready"
  PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" -p "$PORT" -d postgres -tA)
fi

"${PSQL[@]}" -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;" >/dev/null || fail "could not create role $ROLE"

if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0" >/dev/null \
    || fail "could not create database $DB"
fi

# Password login over TCP must work: that is how the tests connect.
PGPASSWORD="$PASSWORD" "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d "$DB" -tA -c "SELECT 1" >/dev/null 2>&1 \
  || fail "role $ROLE cannot log in over TCP at 127.0.0.1:$PORT (check pg_hba.conf)"

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB" >&3
