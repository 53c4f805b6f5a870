#!/usr/bin/env bash
# bench/tracker.sh times the term tracker on both engines: a weekly trend
# (52 buckets, both measures, shares) of one two-word phrase and of five
# phrases at once, over a generated archive (default 100,000 articles,
# dates spread over a year). The SQLite archive is kept in DATA and
# reused; PostgreSQL gets the same archive in the schema trackerbench_N.
#
#   eval "$(scripts/pg-test.sh)"      # or BYLINE_BENCH_POSTGRES=postgres://…
#   bench/tracker.sh                  # N=100000
#   N=20000 RUNS=20 bench/tracker.sh
#
# It prints, per engine and case, the first (cold: nothing counted yet)
# and the median and 95th percentile of RUNS more runs.
set -euo pipefail
N=${N:-100000}
RUNS=${RUNS:-40}
DATA=${DATA:-/tmp/byline-tracker-$N}
PG=${BYLINE_BENCH_POSTGRES:-${BYLINE_TEST_POSTGRES:-}}
cd "$(dirname "$0")/.."
go run ./bench/trackerbench -n "$N" -runs "$RUNS" -data "$DATA" -pg "$PG"
