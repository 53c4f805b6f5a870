#!/usr/bin/env bash
# bench/load.sh measures Byline under load on this machine, against the
# same HTML served by nginx as a static file. See bench/README.md.
#
#   bench/load.sh                  # 100,000 articles, results in bench/results/
#   N=20000 DURATION=5s bench/load.sh
#
# Settings (environment):
#   N         generated articles (default 100000); the archive is kept in
#             DATA and reused by later runs
#   DATA      data directory (default /tmp/byline-load-$N)
#   PORT      Byline's port (default 18080); nginx uses PORT+1
#   THREADS, CONNS, DURATION   wrk settings (default 2, 32, 10s)
#   LOGLEVEL  Byline's --log-level (default warn; "info" logs every request)
#   BOTH_LOG_LEVELS=1          also run the Byline pages with --log-level info
#
# Everything listens on 127.0.0.1 only and is stopped at the end.
set -euo pipefail

N=${N:-100000}
DATA=${DATA:-/tmp/byline-load-$N}
PORT=${PORT:-18080}
NGINX_PORT=$((PORT + 1))
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
LOGLEVEL=${LOGLEVEL:-warn}

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/byline-load.XXXXXX)
chmod 755 "$work" # nginx workers run as another user
results=$root/bench/results
mkdir -p "$results"
out=$results/load-$(date -u +%Y%m%d-%H%M%S).txt
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" | tee -a "$out"; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }

say "# Byline load test, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr)"
say "wrk: -t$THREADS -c$CONNS -d$DURATION --latency, loopback"

say "## build"
go build -o "$work/byline" ./cmd/byline
bin=$work/byline

if [ ! -f "$DATA/byline.db" ]; then
	say "## generate $N articles into $DATA"
	t0=$(date +%s.%N)
	"$bin" demo --articles "$N" --data "$DATA" | tail -n 1 | tee -a "$out"
	say "generation took $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-6)s"
else
	say "## reuse the archive in $DATA"
fi
# Pending migrations are applied now, so start-up below is a plain start.
"$bin" migrate --data "$DATA" >/dev/null
say "database: $(du -h "$DATA/byline.db" | cut -f1)"

# start_byline LEVEL: starts the server and sets $byline_pid, printing the
# time from exec to the first answer of /readyz.
start_byline() {
	local level=$1
	local t0 t1
	t0=$(date +%s%N)
	"$bin" serve --addr "127.0.0.1:$PORT" --data "$DATA" --log-level "$level" --base-url "http://127.0.0.1:$PORT" \
		>"$work/serve.out" 2>"$work/serve-$level.log" &
	byline_pid=$!
	pids+=("$byline_pid")
	until curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do
		kill -0 "$byline_pid" 2>/dev/null || { cat "$work/serve-$level.log"; exit 1; }
		[ $(( $(date +%s%N) - t0 )) -lt 300000000000 ] || { echo "byline did not start within 300 s"; exit 1; }
		sleep 0.01
	done
	t1=$(date +%s%N)
	say "start-up ($level): $(( (t1 - t0) / 1000000 )) ms to the first /readyz answer; RSS $(rss "$byline_pid")"
}

rss() { awk '/VmRSS/{printf "%.0f MB", $2/1024}' "/proc/$1/status"; }

# load NAME URL [HEADER]: runs wrk and prints one summary line.
load() {
	local name=$1 url=$2 header=${3:-}
	local args=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 10s)
	[ -n "$header" ] && args+=(-H "$header")
	local r
	r=$(wrk "${args[@]}" "$url")
	echo "$r" >>"$work/wrk-raw.txt"
	local rps p50 p99 errs
	rps=$(echo "$r" | awk '/Requests\/sec/{print $2}')
	p50=$(echo "$r" | awk '$1=="50%"{print $2}')
	p99=$(echo "$r" | awk '$1=="99%"{print $2}')
	errs=$(echo "$r" | awk '/Non-2xx/{print "non-2xx: " $NF} /Socket errors/{print $0}' | tr '\n' ' ')
	say "$(printf '%-34s %10s req/s   p50 %8s   p99 %8s   %s' "$name" "$rps" "$p50" "$p99" "$errs")"
}

# once NAME URL: the time of single requests, one after another (five;
# the median is printed), for pages that are not cached.
once() {
	local name=$1 url=$2 ts=()
	for _ in 1 2 3 4 5; do
		ts+=("$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$url")")
	done
	say "$(printf '%-34s single requests: median %6.0f ms (of %s s)' "$name" "$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p | awk '{print $1*1000}')" "${ts[*]}")"
}

# first NAME URL: the time of one request (the first after start-up is
# rendered; later ones come from the page cache).
first() {
	say "$(printf '%-34s one request: %6.0f ms' "$1" "$(curl -s -o /dev/null -w '%{time_total}' "$2" | awk '{print $1*1000}')")"
}

# warm URL: fills the page cache (both encodings) before a cached run.
warm() {
	curl -sf -o /dev/null "$1"
	curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "$1"
}

start_byline "$LOGLEVEL"
B=http://127.0.0.1:$PORT
article=$(curl -sf "$B/section/business/industry" | grep -o 'href="/article/[0-9]*/[a-z0-9-]*"' | head -n 1 | cut -d'"' -f2)
[ -n "$article" ] || { echo "no article found on the industry page"; exit 1; }
say "article: $article"

say "## Byline (--log-level $LOGLEVEL)"
run_byline_pages() {
	first "home (uncached)" "$B/"
	first "section (uncached)" "$B/section/business"
	first "article (uncached)" "$B$article"
	warm "$B$article"; warm "$B/"; warm "$B/section/business"
	once "home (cached)" "$B/"
	once "search 'housing'" "$B/search?q=housing"
	once "search 'chip exports'" "$B/search?q=chip+exports"
	once "search 'the'" "$B/search?q=the"
	once "search 'shipbuilder'" "$B/search?q=shipbuilder"
	load "article (cached, gzip)" "$B$article" "Accept-Encoding: gzip"
	load "article (cached, identity)" "$B$article"
	load "home (cached, gzip)" "$B/" "Accept-Encoding: gzip"
	load "section (cached, gzip)" "$B/section/business" "Accept-Encoding: gzip"
	load "search 'housing' (uncached)" "$B/search?q=housing" "Accept-Encoding: gzip"
	load "search 'chip exports' (uncached)" "$B/search?q=chip+exports" "Accept-Encoding: gzip"
	load "search 'the' (uncached)" "$B/search?q=the" "Accept-Encoding: gzip"
}
run_byline_pages
say "RSS after load: $(rss "$byline_pid")"

# The same article HTML, as nginx serves static files.
if command -v nginx >/dev/null; then
	mkdir -p "$work/www/article" "$work/nginx"
	curl -sf "$B$article" -o "$work/www/article/index.html"
	cp "$work/www/article/index.html" "$work/www/article.html"
	gzip -9 -k "$work/www/article.html"
	cat >"$work/nginx/nginx.conf" <<-CONF
		worker_processes auto;
		pid $work/nginx.pid;
		error_log $work/nginx/error.log warn;
		daemon on;
		events { worker_connections 1024; }
		http {
		    access_log off;
		    sendfile on;
		    tcp_nopush on;
		    keepalive_requests 100000;
		    default_type text/html;
		    client_body_temp_path $work/nginx/body;
		    proxy_temp_path $work/nginx/proxy;
		    fastcgi_temp_path $work/nginx/fastcgi;
		    uwsgi_temp_path $work/nginx/uwsgi;
		    scgi_temp_path $work/nginx/scgi;
		    server {
		        listen 127.0.0.1:$NGINX_PORT;
		        root $work/www;
		        gzip_static on;
		        etag on;
		    }
		}
	CONF
	nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log"
	chmod -R a+rX "$work/www"
	for _ in $(seq 500); do curl -sf "http://127.0.0.1:$NGINX_PORT/article.html" >/dev/null && break; sleep 0.01; done
	curl -sf "http://127.0.0.1:$NGINX_PORT/article.html" >/dev/null || { cat "$work/nginx/error.log"; exit 1; }
	say "## nginx $(nginx -v 2>&1 | cut -d/ -f2), static file, $(nproc) workers"
	load "nginx article.html (gzip_static)" "http://127.0.0.1:$NGINX_PORT/article.html" "Accept-Encoding: gzip"
	load "nginx article.html (identity)" "http://127.0.0.1:$NGINX_PORT/article.html"
	kill "$(cat "$work/nginx.pid")"
	rm -f "$work/nginx.pid"
else
	say "## nginx not installed: no static-file comparison (apt-get install nginx-light)"
fi

if [ -n "${BOTH_LOG_LEVELS:-}" ] && [ "$LOGLEVEL" != info ]; then
	kill "$byline_pid"; wait "$byline_pid" 2>/dev/null || true
	start_byline info
	say "## Byline (--log-level info: one log line per request, to a file)"
	run_byline_pages
fi

say "page sizes: article $(curl -sf "$B$article" | wc -c) bytes, gzip $(curl -sf -H 'Accept-Encoding: gzip' "$B$article" | wc -c) bytes"
say "results in $out"
