#!/usr/bin/env bash
# bench/search.sh measures reader search on a large archive, both engines:
# wrk with 1 client (latency) and 8 clients (searches/s) per query,
# uncached (search pages are not kept in the page cache), and the CPU time
# Byline itself spends per search (PostgreSQL's own work is not in it).
#
#   eval "$(scripts/pg-test.sh)"        # or BYLINE_BENCH_POSTGRES=postgres://…
#   bench/search.sh                     # 100,000 articles
#   BIN=/tmp/byline-old bench/search.sh # another build (e.g. before a change)
#
# Settings (environment):
#   N         archive size (default 100000); generated once into DATA
#   DATA      SQLite archive (default /tmp/byline-search-$N); copied, never changed
#   BIN       byline binary (default: built from this tree)
#   ENGINES   "sqlite postgres" (default) or one of them
#   BYLINE_BENCH_POSTGRES  server URL (default $BYLINE_TEST_POSTGRES); the
#             database byline_bench_search on it is dropped and refilled
#             from the archive with `byline migrate-data`
#   PGREUSE   1: keep the database byline_bench_search as a previous run
#             left it (pending migrations then apply at start-up, timed
#             in "ready after"), instead of refilling it
#   QUERIES   space-separated, + for a space (default: housing the chip+exports shipbuilder 올빼미 Kim+Ji-won)
#   DURATION  wrk duration per run (default 10s); PORT (default 18091)
set -euo pipefail

N=${N:-100000}
DATA=${DATA:-/tmp/byline-search-$N}
PORT=${PORT:-18091}
DURATION=${DURATION:-10s}
ENGINES=${ENGINES:-sqlite postgres}
QUERIES=${QUERIES:-housing the chip+exports shipbuilder %EC%98%AC%EB%B9%BC%EB%AF%B8 Kim+Ji-won}
PGBASE=${BYLINE_BENCH_POSTGRES:-${BYLINE_TEST_POSTGRES:-}}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
command -v psql >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/byline-search.XXXXXX)
mkdir -p "$root/bench/results"
out=$root/bench/results/search-$(date -u +%Y%m%d-%H%M%S).txt
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf '%s\n' "$*" | tee -a "$out"; }
secs() { echo "$(date +%s.%N) - $1" | bc | cut -c1-6; }

bin=${BIN:-}
if [ -z "$bin" ]; then
	go build -o "$work/byline" ./cmd/byline
	bin=$work/byline
fi
say "# Byline search, $(date -u '+%Y-%m-%d %H:%M UTC'), $N articles, binary $bin"
say "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$DATA/byline.db" ]; then
	say "## generate $N articles into $DATA"
	"$bin" demo --articles "$N" --data "$DATA" | tail -n 1 | tee -a "$out"
fi

# cputicks is the CPU time (user + system, in clock ticks) of process $1:
# the cost of a search whatever else the machine is doing, which the
# rates are not when other work shares the CPUs.
cputicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# pgticks lists "pid ticks" of every process of the PostgreSQL server's
# user (same machine): a search's cost on PostgreSQL is mostly there, in
# the backends serving the bench database, but also in parallel workers
# and backends started during a run, which a list of the bench database's
# backends missed (it read 0 at 8 clients). pgdelta sums what each
# process used between two lists (a new one counts from zero; one that
# ended is lost, so the pool is warmed first). Other work on the same
# server (tests) counts too: read the column on a quiet machine.
pgticks() {
	[ -n "${PGDB:-}" ] || return 0
	if [ -z "${PGUSER_OS:-}" ]; then
		local b
		b=$(psql "$PGDB" -Atc "SELECT pg_backend_pid()")
		PGUSER_OS=$(stat -c %U "/proc/$b" 2>/dev/null || echo postgres)
	fi
	local p
	for p in $(pgrep -u "$PGUSER_OS"); do
		[ -r "/proc/$p/stat" ] && echo "$p $(awk '{print $14 + $15}' "/proc/$p/stat")"
	done
	return 0
}
pgdelta() { awk 'FILENAME == ARGV[1] { t0[$1] = $2; next } { d += $2 - ($1 in t0 ? t0[$1] : 0) } END { print d + 0 }' "$1" "$2"; }

run_engine() {
	local engine=$1; shift
	local B=http://127.0.0.1:$PORT t0
	t0=$(date +%s.%N)
	"$bin" serve --addr "127.0.0.1:$PORT" --log-level warn --base-url "$B" "$@" >"$work/$engine.out" 2>"$work/$engine.log" &
	pid=$!
	until curl -sf "$B/readyz" >/dev/null 2>&1; do
		kill -0 "$pid" 2>/dev/null || { cat "$work/$engine.log"; exit 1; }
		sleep 0.05
	done
	say "## $engine: ready after $(secs "$t0") s (includes any pending migration)"
	local q r c0 c1 n db
	# Warm the pool's connections (8 clients) before counting backends.
	wrk -t2 -c8 -d1s "$B/search?q=warm" >/dev/null
	for q in $QUERIES; do
		curl -sf -o /dev/null "$B/search?q=$q"
		for c in 1 8; do
			c0=$(cputicks "$pid"); pgticks >"$work/pg0"
			r=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"$DURATION" --latency --timeout 10s "$B/search?q=$q")
			c1=$(cputicks "$pid"); pgticks >"$work/pg1"
			n=$(echo "$r" | awk '/requests in/{print $1}')
			db=""
			[ "$engine" = postgres ] && db=$(printf '  postgres CPU %5s ms/search' "$(echo "scale=2; $(pgdelta "$work/pg0" "$work/pg1") * 1000 / $(getconf CLK_TCK) / $n" | bc)")
			say "$(printf '  %-24s %d client(s): %9s searches/s   p50 %8s   p99 %8s   byline CPU %5s ms/search%s  load %s  %s' "$q" "$c" \
				"$(echo "$r" | awk '/Requests\/sec/{print $2}')" "$(echo "$r" | awk '$1=="50%"{print $2}')" \
				"$(echo "$r" | awk '$1=="99%"{print $2}')" "$(echo "scale=2; ($c1 - $c0) * 1000 / $(getconf CLK_TCK) / $n" | bc)" \
				"$db" "$(cut -d' ' -f1 /proc/loadavg)" "$(echo "$r" | awk '/Non-2xx/{print "non-2xx: " $NF}')")"
		done
	done
	kill "$pid"; wait "$pid" 2>/dev/null || true
	pid=""
}

for engine in $ENGINES; do
	case $engine in
	sqlite)
		mkdir -p "$work/sqlite"
		cp "$DATA/byline.db" "$work/sqlite/byline.db"
		run_engine sqlite --data "$work/sqlite"
		;;
	postgres)
		[ -n "$PGBASE" ] || { echo "set BYLINE_BENCH_POSTGRES"; exit 1; }
		PGDB=$(echo "$PGBASE" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/byline_bench_search#')
		if [ "${PGREUSE:-}" != 1 ]; then
			psql "$PGBASE" -qc 'DROP DATABASE IF EXISTS byline_bench_search WITH (FORCE)' -c 'CREATE DATABASE byline_bench_search'
			t0=$(date +%s.%N)
			mkdir -p "$work/src"
			cp "$DATA/byline.db" "$work/src/byline.db"
			"$bin" migrate-data --from "sqlite:$work/src/byline.db" --to "$PGDB" >/dev/null
			rm -rf "$work/src"
			psql "$PGDB" -qc 'VACUUM ANALYZE'
			say "## migrate-data to PostgreSQL: $(secs "$t0") s"
		fi
		mkdir -p "$work/pg"
		run_engine postgres --data "$work/pg" --database "$PGDB"
		PGDB=""
		;;
	esac
done
say "results in $out"
