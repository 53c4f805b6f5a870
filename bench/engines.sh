#!/usr/bin/env bash
# bench/engines.sh runs the same archive on both storage engines, SQLite
# and PostgreSQL, and measures pages (wrk, as bench/load.sh does) and
# comment posting (bench/commentbench: comments/s and latency).
#
#   eval "$(scripts/pg-test.sh)"      # or BYLINE_BENCH_POSTGRES=postgres://…
#   bench/engines.sh                  # 100,000 articles, 1,000,000 comments
#   N=20000 COMMENTS=100000 DURATION=5s bench/engines.sh
#
# Settings (environment):
#   N, COMMENTS   archive size (default 100000 articles, 1000000 comments);
#                 the SQLite archive is kept in DATA and reused
#   DATA          (default /tmp/byline-engines-$N)
#   BYLINE_BENCH_POSTGRES  server URL (default $BYLINE_TEST_POSTGRES); the
#                 database byline_bench_engines on it is dropped and refilled
#                 from the SQLite archive with `byline migrate-data`
#   PORT          (default 18090)
#   THREADS, CONNS, DURATION   wrk settings (default 2, 32, 10s)
#   POSTS, POST_CONNS          comment posting (default 20000 comments, 32 connections)
#
# Everything listens on 127.0.0.1 only and is stopped at the end.
set -euo pipefail

N=${N:-100000}
COMMENTS=${COMMENTS:-1000000}
DATA=${DATA:-/tmp/byline-engines-$N}
PORT=${PORT:-18090}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
POSTS=${POSTS:-20000}
POST_CONNS=${POST_CONNS:-32}
PGBASE=${BYLINE_BENCH_POSTGRES:-${BYLINE_TEST_POSTGRES:-}}
[ -n "$PGBASE" ] || { echo "set BYLINE_BENCH_POSTGRES (or eval \"\$(scripts/pg-test.sh)\")"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
command -v psql >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/byline-engines.XXXXXX)
results=$root/bench/results
mkdir -p "$results"
out=$results/engines-$(date -u +%Y%m%d-%H%M%S).txt
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf '%s\n' "$*" | tee -a "$out"; }
secs() { echo "$(date +%s.%N) - $1" | bc | cut -c1-6; }

# The bench database's URL: the server's URL with another database name.
PGDB=$(echo "$PGBASE" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/byline_bench_engines#')

say "# Byline on SQLite and PostgreSQL, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr)"
say "PostgreSQL: $(psql "$PGBASE" -Atc 'SHOW server_version') on the same machine (loopback)"
say "wrk: -t$THREADS -c$CONNS -d$DURATION --latency; comment posting: $POSTS comments, $POST_CONNS connections"

go build -o "$work/byline" ./cmd/byline
go build -o "$work/commentbench" ./bench/commentbench
bin=$work/byline

if [ ! -f "$DATA/byline.db" ]; then
	say "## generate $N articles into $DATA"
	t0=$(date +%s.%N)
	"$bin" demo --articles "$N" --data "$DATA" | tail -n 1 | tee -a "$out"
	say "took $(secs "$t0") s"
fi
"$bin" migrate --data "$DATA" >/dev/null
if [ ! -f "$DATA/seeded-$COMMENTS" ]; then
	say "## add $COMMENTS comments (bulk INSERT … SELECT)"
	"$work/commentbench" seed --data "$DATA" --comments "$COMMENTS" | tail -n 1 | tee -a "$out"
	touch "$DATA/seeded-$COMMENTS"
fi
say "SQLite archive: $(du -h "$DATA/byline.db" | cut -f1)"

# Each engine starts from the same archive: SQLite from a fresh copy,
# PostgreSQL from migrate-data of it.
mkdir -p "$work/sqlite" "$work/pg"
"$bin" backup --data "$DATA" --to "$work/sqlite/byline.db" >/dev/null
psql "$PGBASE" -qc 'DROP DATABASE IF EXISTS byline_bench_engines WITH (FORCE)' -c 'CREATE DATABASE byline_bench_engines'
say "## migrate-data to PostgreSQL"
t0=$(date +%s.%N)
"$bin" migrate-data --from "sqlite:$DATA/byline.db" --to "$PGDB" | grep -E '^ *(articles|comments|readers|article_tags) |copied' | tee -a "$out"
say "migrate-data took $(secs "$t0") s; PostgreSQL database: $(psql "$PGBASE" -Atc "SELECT pg_size_pretty(pg_database_size('byline_bench_engines'))")"
psql "$PGDB" -qc 'VACUUM ANALYZE'

rss() { awk '/VmRSS/{printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

load() {
	local name=$1 url=$2 header=${3:-}
	local args=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 10s)
	[ -n "$header" ] && args+=(-H "$header")
	local r rps p50 p99 errs
	r=$(wrk "${args[@]}" "$url")
	rps=$(echo "$r" | awk '/Requests\/sec/{print $2}')
	p50=$(echo "$r" | awk '$1=="50%"{print $2}')
	p99=$(echo "$r" | awk '$1=="99%"{print $2}')
	errs=$(echo "$r" | awk '/Non-2xx/{print "non-2xx: " $NF} /Socket errors/{print $0}' | tr '\n' ' ')
	say "$(printf '  %-32s %10s req/s   p50 %8s   p99 %8s   %s' "$name" "$rps" "$p50" "$p99" "$errs")"
}

once() {
	local name=$1 url=$2 ts=()
	for _ in 1 2 3 4 5; do ts+=("$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$url")"); done
	say "$(printf '  %-32s single requests: median %6.1f ms' "$name" "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p | awk '{print $1*1000}')")"
}

bench_engine() {
	local engine=$1; shift
	local B=http://127.0.0.1:$PORT t0
	t0=$(date +%s%N)
	"$bin" serve --addr "127.0.0.1:$PORT" --log-level warn --base-url "$B" "$@" >"$work/$engine.out" 2>"$work/$engine.log" &
	pid=$!
	until curl -sf "$B/readyz" >/dev/null 2>&1; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/$engine.log"; exit 1; }
		sleep 0.01
	done
	say "## $engine: start-up $(( ($(date +%s%N) - t0) / 1000000 )) ms, RSS $(rss "$pid")"
	local article id
	article=$(curl -sf "$B/section/business/industry" | grep -o 'href="/article/[0-9]*/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
	id=$(echo "$article" | cut -d/ -f3)
	curl -sf -o /dev/null "$B$article"; curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "$B$article"
	curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "$B/"
	once "comments API (JSON)" "$B/api/v1/articles/$id/comments"
	once "search 'housing'" "$B/search?q=housing"
	once "search 'the'" "$B/search?q=the"
	load "article (cached, gzip)" "$B$article" "Accept-Encoding: gzip"
	load "home (cached, gzip)" "$B/" "Accept-Encoding: gzip"
	load "comments API (JSON)" "$B/api/v1/articles/$id/comments"
	load "search 'housing' (uncached)" "$B/search?q=housing" "Accept-Encoding: gzip"
	say "  comment posting: $("$work/commentbench" post --url "$B" --n "$POSTS" --conns "$POST_CONNS")"
	say "  comment posting, 1 connection: $("$work/commentbench" post --url "$B" --n 2000 --conns 1)"
	say "  RSS after load: $(rss "$pid")"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	pid=""
}

bench_engine sqlite --data "$work/sqlite"
bench_engine postgres --data "$work/pg" --database "$PGDB"
say "results in $out"
