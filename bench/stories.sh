#!/usr/bin/env bash
# bench/stories.sh measures a running story's page with 500 entries on
# both engines: HTML weight and cached latency (bench/storybench).
# Targets (issue 15): p95 < 20 ms cached, < 60 KB of HTML.
#
#   bench/stories.sh                       # SQLite, and PostgreSQL when
#                                          # BYLINE_BENCH_POSTGRES or
#                                          # BYLINE_TEST_POSTGRES is set
# Settings: PORT (18095), REQUESTS (5000), CONNS (8), ENTRIES (500).
set -euo pipefail
PORT=${PORT:-18095}
REQUESTS=${REQUESTS:-5000}
CONNS=${CONNS:-8}
ENTRIES=${ENTRIES:-500}
PGBASE=${BYLINE_BENCH_POSTGRES:-${BYLINE_TEST_POSTGRES:-}}
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/byline-stories.XXXXXX)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/byline" ./cmd/byline
go build -o "$work/storybench" ./bench/storybench
B=http://127.0.0.1:$PORT

serve() {
	"$work/byline" serve --addr "127.0.0.1:$PORT" --base-url "$B" --log-level warn "$@" >"$work/serve.log" 2>&1 &
	pid=$!
	until curl -sf "$B/readyz" >/dev/null 2>&1; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
		sleep 0.05
	done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

echo "# story page, $ENTRIES entries, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## SQLite"
"$work/byline" demo --data "$work/sqlite" >/dev/null
serve --data "$work/sqlite"
"$work/storybench" -data "$work/sqlite" -base "$B" -n "$REQUESTS" -c "$CONNS" -entries "$ENTRIES"
stop
if [ -n "$PGBASE" ]; then
	command -v psql >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
	PGDB=$(echo "$PGBASE" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/byline_bench_stories#')
	psql "$PGBASE" -qc 'DROP DATABASE IF EXISTS byline_bench_stories WITH (FORCE)' -c 'CREATE DATABASE byline_bench_stories'
	echo "## PostgreSQL"
	"$work/byline" demo --database "$PGDB" --data "$work/pg" >/dev/null
	serve --database "$PGDB" --data "$work/pg"
	"$work/storybench" -database "$PGDB" -base "$B" -n "$REQUESTS" -c "$CONNS" -entries "$ENTRIES"
	stop
	psql "$PGBASE" -qc 'DROP DATABASE IF EXISTS byline_bench_stories WITH (FORCE)'
fi
