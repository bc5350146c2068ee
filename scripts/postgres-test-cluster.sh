#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a local port for the test suite, and prints its DATABASE_URL.
# Usage: scripts/postgres-test-cluster.sh start|stop [DIR]. Needs Debian's postgresql package (installed by .ci/run).
set -euo pipefail
action=${1:?start or stop}
dir=${2:-/tmp/forceledger-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# initdb refuses to run as root: run the server as the postgres system user when we are root.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    # A free port from the kernel, so a cluster already running elsewhere on this machine does not collide.
    port=${PGPORT_TEST:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # fsync stays on: the suite should see the same durability the product relies on.
    as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
