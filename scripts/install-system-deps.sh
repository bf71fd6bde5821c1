#!/usr/bin/env bash
# Install the Debian packages riverchief needs, if missing.
#   scripts/install-system-deps.sh run    PostgreSQL + PostGIS, the signboards' CJK font
#                                         (and python3-venv if needed)
#   scripts/install-system-deps.sh test   the above + Chromium, CJK fonts, GDAL tools, wrk
# As root it uses apt-get; otherwise it says what to install and fails.
set -euo pipefail
mode=${1:-run}
want=(postgresql postgresql-contrib)
# Signboard PDFs (issue 19) embed this TrueType CJK font (reportlab takes TrueType only).
want+=(fonts-wqy-zenhei)
if ! python3 -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  want+=(python3 python3-venv)
fi
if [ "$mode" = test ]; then
  want+=(chromium fonts-noto-cjk gdal-bin wrk)
fi

missing() {
  local out=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out+=("$p")
  done
  echo "${out[@]:-}"
}

updated=0
install() {
  local need
  need=$(missing "$@")
  [ -z "$need" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "riverchief needs these Debian packages: $need" >&2
    echo "install them with: sudo apt-get install -y $need" >&2
    exit 1
  fi
  if [ $updated = 0 ]; then
    apt-get update -qq
    updated=1
  fi
  echo "installing: $need"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
}

install "${want[@]}"
pgver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
install "postgresql-$pgver-postgis-3"
