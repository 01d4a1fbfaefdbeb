#!/usr/bin/env bash
# Ensure Debian's PostgreSQL runs on 127.0.0.1 with a `switchboard_test` database, then print
# a SQLAlchemy URL for it on stdout. Used by .ci/run for the PostgreSQL flavour of the tests.
# The role's password is random per run and lives only in the printed URL: nothing to commit.
set -euo pipefail

# Only the URL may reach stdout: callers capture it with $(...). Every tool below (pg_ctl says
# things like "Removed stale pid file.") writes to stderr instead; the URL goes to fd 3.
exec 3>&1 1>&2
cd /  # psql runs as postgres, which may not be able to enter the caller's directory

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and this is not root: apt-get install postgresql"
    exit 1
  fi
  log "installing Debian's postgresql package"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
port=${SWITCHBOARD_TEST_PG_PORT:-5432}
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster --port "$port" "$version" main >/dev/null
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start 3>&-  # the server must not inherit the URL pipe
fi

as_pg() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $port $*"; }
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
if [ "$(as_pg "-c \"select 1 from pg_roles where rolname='switchboard'\"")" != "1" ]; then
  as_pg "-c \"create role switchboard login createdb\""
fi
as_pg "-c \"alter role switchboard password '$password'\""
if [ "$(as_pg "-c \"select 1 from pg_database where datname='switchboard_test'\"")" != "1" ]; then
  as_pg "-c \"create database switchboard_test owner switchboard\""
fi
log "PostgreSQL $version running on 127.0.0.1:$port"
echo "postgresql+psycopg://switchboard:${password}@127.0.0.1:${port}/switchboard_test" >&3
