#!/usr/bin/env bash
# bench/tracker.sh times the term tracker on both engines: a weekly trend
# (52 buckets, both measures, shares) of one two-word phrase and of five
# phrases at once, over a generated archive (default 100,000 articles,
# dates spread over a year).
#
#   eval "$(scripts/pg-test.sh)"      # or BYLINE_BENCH_POSTGRES=postgres://…
#   bench/tracker.sh                  # N=100000
#   N=20000 RUNS=20 bench/tracker.sh
#
# The SQLite archive is generated and indexed once and kept in DATA; the
# PostgreSQL database byline_bench_tracker is dropped and refilled from it
# with `byline migrate-data`. Each case prints p50 and p95 of RUNS cold
# asks (kept day counts emptied before each: counted from the index) and
# of RUNS warm asks (kept counts used).
set -euo pipefail
N=${N:-100000}
RUNS=${RUNS:-40}
DATA=${DATA:-/tmp/byline-tracker-$N}
PGBASE=${BYLINE_BENCH_POSTGRES:-${BYLINE_TEST_POSTGRES:-}}
cd "$(dirname "$0")/.."
bin=$(mktemp -d /tmp/byline-trackerbench.XXXXXX)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/byline" ./cmd/byline
go build -o "$bin/trackerbench" ./bench/trackerbench
"$bin/trackerbench" -n "$N" -runs "$RUNS" -data "$DATA"
[ -n "$PGBASE" ] || { echo "PostgreSQL skipped: set BYLINE_BENCH_POSTGRES"; exit 0; }
command -v psql >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
PGDB=$(echo "$PGBASE" | sed -E 's#/[^/?]*(\?|$)#/byline_bench_tracker\1#')
psql "$PGBASE" -qc "DROP DATABASE IF EXISTS byline_bench_tracker" -c "CREATE DATABASE byline_bench_tracker"
"$bin/byline" migrate-data --from "sqlite:$DATA/byline.db" --to "$PGDB" | grep -E '^ *(articles|tracker_docs) |copied'
psql "$PGDB" -qc "DELETE FROM tracker_counts" -c "VACUUM ANALYZE" # cold: count on PostgreSQL itself
"$bin/trackerbench" -n "$N" -runs "$RUNS" -sqlite=false -pg "$PGDB"
