#!/usr/bin/env bash
# The team's national-scale PostgreSQL cluster: scripts/postgres-test-cluster.sh at a fixed place and port, with the
# reporting settings of the performance notes. Usage: bench/national/cluster.sh start|stop. See README.md beside this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script="$here/../../scripts/postgres-test-cluster.sh"
dir=${NATIONAL_PG_DIR:-/work/bench-pg}
port=${NATIONAL_PG_PORT:-55432}
url="postgres://postgres@127.0.0.1:$port/postgres"

case "${1:?start or stop}" in
  start)
    first=no
    [ -f "$dir/PG_VERSION" ] || first=yes
    PGPORT_TEST=$port bash "$script" start "$dir" >/dev/null
    if [ $first = yes ]; then
      # Reporting settings (performance notes), memory for a 24 GB machine, and a bulk-load friendly WAL: this cluster
      # holds benchmark data that can be generated again, so minimal WAL (COPY into a table truncated in the same
      # transaction writes none) is a fair trade.
      psql "$url" -q <<'SQL'
alter system set work_mem = '256MB';
alter system set parallel_setup_cost = 100;
alter system set parallel_tuple_cost = 0.01;
alter system set jit = off;
alter system set statement_timeout = '10min';
alter system set shared_buffers = '2GB';
alter system set effective_cache_size = '12GB';
alter system set maintenance_work_mem = '1GB';
alter system set max_wal_size = '8GB';
alter system set wal_level = minimal;
alter system set max_wal_senders = 0;
SQL
      bash "$script" stop "$dir"
      PGPORT_TEST=$port bash "$script" start "$dir" >/dev/null
    fi
    echo "$url"
    ;;
  stop) bash "$script" stop "$dir" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
