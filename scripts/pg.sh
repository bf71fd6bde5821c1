#!/usr/bin/env bash
# Embedded PostGIS cluster for riverchief: its own data directory, port and socket directory,
# so it never collides with a system cluster on 5432.
#
#   scripts/pg.sh start NAME PORT   # initdb if needed, start, create the database NAME-db
#   scripts/pg.sh stop NAME
#   scripts/pg.sh url NAME PORT     # print the DATABASE_URL
#
# As root, initdb and pg_ctl run as the `postgres` user (initdb refuses root). If that user
# cannot reach .data/ (a clone inside a private 0700 directory, as mktemp makes), the cluster
# lives under /var/tmp and .data/NAME is a symlink to it.
set -euo pipefail
cmd=${1:?usage: pg.sh start|stop|url NAME PORT}
name=${2:?cluster name}
port=${3:-54329}
root=$(cd "$(dirname "$0")/.." && pwd)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found: apt-get install postgresql postgis" >&2; exit 1; }
datadir="$root/.data/$name"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  url)
    echo "postgresql://postgres@127.0.0.1:$port/riverchief"
    ;;
  start)
    mkdir -p "$root/.data"
    if [ ! -e "$datadir" ]; then
      if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$root/.data" 2>/dev/null; then
        alt="/var/tmp/riverchief-$(echo "$root" | md5sum | cut -c1-10)/$name"
        mkdir -p "$alt"
        ln -sfn "$alt" "$datadir"
      else
        mkdir -p "$datadir"
      fi
    fi
    real=$(readlink -f "$datadir")
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$real" && chmod 700 "$real"
    if [ ! -f "$real/PG_VERSION" ]; then
      as_pg "$pgbin/initdb" -D "$real" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
      mkdir -p "$real/run"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$real/run"
      cat >> "$real/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$real/run'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
    fi
    if ! as_pg "$pgbin/pg_ctl" -D "$real" status >/dev/null 2>&1; then
      as_pg "$pgbin/pg_ctl" -D "$real" -l "$real/server.log" -w -t 60 start >/dev/null
    fi
    if ! "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='riverchief'" | grep -q 1; then
      "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres riverchief
    fi
    echo "PostGIS cluster '$name' running on 127.0.0.1:$port ($real)"
    ;;
  stop)
    [ -e "$datadir" ] || exit 0
    real=$(readlink -f "$datadir")
    as_pg "$pgbin/pg_ctl" -D "$real" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "unknown command $cmd" >&2; exit 2 ;;
esac
