#!/usr/bin/env bash
# A Citus cluster on one machine for riverchief: a coordinator and two workers, each its own
# PostgreSQL cluster (data directory under .data/, own port), with PostGIS and Citus in the
# `riverchief` and `postgres` databases and the workers added to the coordinator.
#
#   scripts/citus.sh up      # install Citus if missing, start the three nodes, add the workers;
#                            # the last line printed is the coordinator's DATABASE_URL
#   scripts/citus.sh down    # stop the three nodes (pg_ctl on their data directories)
#   scripts/citus.sh install # only install Citus
#   scripts/citus.sh url     # print the coordinator's DATABASE_URL
#
# Environment:
#   CITUS_PORTS="9700 9701 9702"  coordinator, then workers (any number of workers)
#   CITUS_SRC=<dir or tarball>    Citus source tree (v13.0.5 for PostgreSQL 15), used when the
#                                 Citus package repository is not reachable
#   CITUS_FORCE_BUILD=1           build from CITUS_SRC even when Citus is installed
#   CITUS_REPO_URL                the package repository (default repos.citusdata.com)
#   CITUS_PACKAGE                 default postgresql-<pg major>-citus-13.0
#
# Installing needs root (apt-get, make install). Building uses `nice -n 10`.
set -euo pipefail
cmd=${1:?usage: citus.sh up|down|install|url}
root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a ports <<<"${CITUS_PORTS:-9700 9701 9702}"
coord_port=${ports[0]}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgbin" ] || { echo "PostgreSQL server binaries not found: make deps" >&2; exit 1; }
pgmajor=$(basename "$(dirname "$pgbin")")
repo_url=${CITUS_REPO_URL:-https://repos.citusdata.com/community}
package=${CITUS_PACKAGE:-postgresql-$pgmajor-citus-13.0}
psql=("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres)

log() { echo "citus: $*" >&2; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

citus_installed() {
  local pg_config="$pgbin/pg_config"
  [ -x "$pg_config" ] || pg_config=$(command -v pg_config || true)
  [ -n "$pg_config" ] || return 1
  [ -f "$("$pg_config" --pkglibdir)/citus.so" ] &&
    [ -f "$("$pg_config" --sharedir)/extension/citus.control" ]
}

need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "installing Citus needs root: $*" >&2
    exit 1
  fi
}

install_from_packages() {
  # The Citus package repository (packagecloud) for this Debian release, if reachable.
  command -v curl >/dev/null || return 1
  curl -fsS --max-time 10 -o /dev/null "$repo_url/gpgkey" 2>/dev/null || return 1
  need_root "apt-get install $package"
  local codename
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  log "installing $package from $repo_url"
  install -d /etc/apt/keyrings
  curl -fsSL "$repo_url/gpgkey" | gpg --dearmor --yes -o /etc/apt/keyrings/citus.gpg
  echo "deb [signed-by=/etc/apt/keyrings/citus.gpg] $repo_url/debian/ $codename main" \
    >/etc/apt/sources.list.d/citus.list
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
}

build_from_source() {
  local src=${CITUS_SRC:-}
  if [ -z "$src" ]; then
    cat >&2 <<MSG
citus: Citus is not installed and the package repository ($repo_url) is not reachable.
  Build it from source: CITUS_SRC=/path/to/citus (a v13.0.5 tree or a tarball of one, e.g.
  git --git-dir=<citus repo> archive v13.0.5 | gzip > citus-13.0.5.tar.gz) make citus-up
MSG
    exit 1
  fi
  need_root "make install of Citus"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "postgresql-server-dev-$pgmajor" libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev \
    libssl-dev make gcc >/dev/null
  local work="$root/.data/citus-build"
  rm -rf "$work" && mkdir -p "$work"
  if [ -d "$src" ]; then
    cp -a "$src/." "$work/"
  else
    tar -xf "$src" -C "$work"
    # A tarball with one top-level directory (git archive --prefix) or none (git archive).
    if [ ! -f "$work/configure" ] && [ "$(find "$work" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ]; then
      work=$(find "$work" -mindepth 1 -maxdepth 1 -type d)
    fi
  fi
  [ -f "$work/configure" ] || { echo "citus: no configure script in $src" >&2; exit 1; }
  log "building Citus from $src in $work (nice -n 10; this takes a while)"
  (
    cd "$work"
    nice -n 10 ./configure --without-libcurl PG_CONFIG="$pgbin/pg_config" >"$work/../configure.log"
    nice -n 10 make -j"$(nproc)" >"$work/../make.log" 2>&1
    make install >"$work/../install.log" 2>&1
  ) || { echo "citus: build failed, see $root/.data/citus-build/*.log" >&2; exit 1; }
}

install_citus() {
  if [ "${CITUS_FORCE_BUILD:-0}" = 1 ]; then
    build_from_source
  elif citus_installed; then
    log "Citus is installed: skipping the build"
  elif ! install_from_packages; then
    build_from_source
  fi
  citus_installed || { echo "citus: Citus still not installed" >&2; exit 1; }
}

node_name() { if [ "$1" = 0 ]; then echo citus-coord; else echo "citus-worker$1"; fi; }

start_node() {
  # pg.sh makes the data directory (initdb) and starts it; Citus must be preloaded.
  local name=$1 port=$2 real
  "$root/scripts/pg.sh" start "$name" "$port" >/dev/null
  real=$(readlink -f "$root/.data/$name")
  if ! grep -q "^shared_preload_libraries = 'citus'" "$real/postgresql.conf"; then
    cat >>"$real/postgresql.conf" <<CONF
# Citus (scripts/citus.sh): preloaded; prepared transactions for its two-phase commits;
# logical WAL so citus_rebalance_start can move shards while they are written.
shared_preload_libraries = 'citus'
max_prepared_transactions = 200
wal_level = logical
citus.shard_count = 8
# riverchief's layer-version triggers run on the shards (migration 0017), and some reports
# join distributed tables on other columns than the region (docs/scaling.md).
citus.enable_unsafe_triggers = on
citus.enable_repartition_joins = on
citus.multi_shard_modify_mode = 'sequential'
CONF
    as_pg "$pgbin/pg_ctl" -D "$real" -l "$real/server.log" -m fast -w -t 60 restart >/dev/null
  fi
}

sql() { "${psql[@]}" -p "$1" -d "$2" -tAc "$3"; }

ensure_extensions() {
  # A worker that has Citus metadata refuses even CREATE EXTENSION IF NOT EXISTS: ask first.
  local ext
  for ext in citus postgis; do
    sql "$1" "$2" "SELECT 1 FROM pg_extension WHERE extname = '$ext'" | grep -q 1 ||
      sql "$1" "$2" "CREATE EXTENSION $ext"
  done
}

setup_database() {
  # Citus and PostGIS in database $1 on every node, the workers added to the coordinator.
  local db=$1 i
  # Citus 13.0 does not propagate CREATE DATABASE: made on each node.
  sql "$coord_port" postgres "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
    sql "$coord_port" postgres "CREATE DATABASE \"$db\""
  for ((i = 1; i < ${#ports[@]}; i++)); do
    sql "${ports[$i]}" postgres "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
      sql "${ports[$i]}" postgres "CREATE DATABASE \"$db\""
    ensure_extensions "${ports[$i]}" "$db"
  done
  ensure_extensions "$coord_port" "$db"
  sql "$coord_port" "$db" "SELECT citus_set_coordinator_host('127.0.0.1', $coord_port)" >/dev/null
  for ((i = 1; i < ${#ports[@]}; i++)); do
    sql "$coord_port" "$db" "SELECT citus_add_node('127.0.0.1', ${ports[$i]})" >/dev/null
  done
}

url() { echo "postgresql://postgres@127.0.0.1:$coord_port/riverchief"; }

case "$cmd" in
  install)
    install_citus
    ;;
  up)
    install_citus
    for ((i = 0; i < ${#ports[@]}; i++)); do
      start_node "$(node_name "$i")" "${ports[$i]}"
      log "$(node_name "$i") on 127.0.0.1:${ports[$i]}"
    done
    # `postgres` too: the test harness creates each test database from there and reads the
    # workers from its pg_dist_node (tests/conftest.py).
    setup_database postgres
    setup_database riverchief
    sql "$coord_port" riverchief \
      "SELECT string_agg(nodename || ':' || nodeport, ' ') FROM pg_dist_node WHERE groupid > 0" |
      sed 's/^/citus: workers /' >&2
    url
    ;;
  down)
    for ((i = ${#ports[@]} - 1; i >= 0; i--)); do
      "$root/scripts/pg.sh" stop "$(node_name "$i")"
    done
    ;;
  url)
    url
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac
