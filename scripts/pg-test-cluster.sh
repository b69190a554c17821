#!/usr/bin/env bash
# A PostgreSQL cluster of the tests' own, from Debian's postgresql package:
#   scripts/pg-test-cluster.sh start DIR   makes and starts it in DIR, prints its URL
#   scripts/pg-test-cluster.sh stop DIR    stops it and deletes DIR
# It listens on a Unix socket in DIR only (no TCP port, so two clusters on one machine
# never meet), trusts local connections (a test cluster, nothing else can reach it)
# and keeps fsync on, as a real server would. Run as root, the cluster belongs to the
# postgres account (initdb refuses root) and lives in a folder of its own under /tmp,
# DIR being a link to it: the checkout may sit where postgres cannot reach (/root).
# The tests connect through the socket either way.
set -euo pipefail
cmd=${1:?usage: pg-test-cluster.sh start|stop DIR}
dir=${2:?usage: pg-test-cluster.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "pg-test-cluster: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { echo "postgresql:///sotay?host=$dir&port=5432&user=sotay"; }
# The folder the cluster is in: DIR, or where DIR links to (what postgres can reach).
real_dir() { if [ -L "$dir" ]; then readlink "$dir"; else echo "$dir"; fi; }
# Stops the cluster in DIR if one runs, and removes DIR (and the folder it links to).
stop_cluster() {
  local real
  real=$(real_dir)
  if [ -d "$real/data" ]; then as_owner "$bin/pg_ctl" -D "$real/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ -L "$dir" ]; then
    rm -rf "$real"
    rm -f "$dir"
  else
    rm -rf "$dir"
  fi
}

case "$cmd" in
start)
  if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$(real_dir)/data" status >/dev/null 2>&1; then
    url; exit 0
  fi
  stop_cluster
  if [ "$(id -u)" = 0 ]; then
    real=$(mktemp -d /tmp/sotay-pg-XXXXXX)
    chown postgres: "$real"
    mkdir -p "$(dirname "$dir")"
    ln -s "$real" "$dir"
  else
    mkdir -p "$dir"
    real=$dir
  fi
  as_owner "$bin/initdb" -D "$real/data" -U sotay --auth=trust -E UTF8 --locale=C.UTF-8 >"$real/initdb.log" 2>&1 ||
    { cat "$real/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$real/data" -l "$real/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$real' -p 5432 -c max_connections=200" start >/dev/null ||
    { cat "$real/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h "$real" -p 5432 -U sotay sotay
  url
  ;;
stop)
  stop_cluster
  ;;
*)
  echo "usage: pg-test-cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
