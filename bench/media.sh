#!/usr/bin/env bash
# bench/media.sh measures serving an image rendition through Byline from
# the local media directory and from an S3 bucket (a real S3 server,
# versitygw, on 127.0.0.1). See bench/README.md.
#
#   eval "$(scripts/test-s3.sh)"; bench/media.sh
#   DURATION=5s CONNS=16 bench/media.sh
#
# Settings (environment): PORT (default 18090; the bucket server uses
# PORT+1 and PORT+2), THREADS, CONNS, DURATION (wrk; default 2, 32, 10s),
# BYLINE_TEST_VERSITYGW (the versitygw binary; scripts/test-s3.sh builds it).
# Everything listens on 127.0.0.1 only and is stopped at the end.
set -euo pipefail

PORT=${PORT:-18090}
S3_PORT=$((PORT + 2))
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
VGW=${BYLINE_TEST_VERSITYGW:?set it with eval \"\$(scripts/test-s3.sh)\"}

cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/byline-media.XXXXXX)
results=$root/bench/results
mkdir -p "$results"
out=$results/media-$(date -u +%Y%m%d-%H%M%S).txt
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
say() { printf '%s\n' "$*" | tee -a "$out"; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
wait_for() { # URL PID
	local t0=$SECONDS
	until curl -s -o /dev/null "$1"; do
		kill -0 "$2" 2>/dev/null || { echo "process $2 exited"; exit 1; }
		[ $((SECONDS - t0)) -lt 60 ] || { echo "$1 not up within 60 s"; exit 1; }
		sleep 0.1
	done
}

say "# Byline media serving, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$THREADS -c$CONNS -d$DURATION --latency, loopback"
go build -o "$work/byline" ./cmd/byline
bin=$work/byline

mkdir -p "$work/s3"
"$VGW" --access bench --secret benchsecret --port "127.0.0.1:$S3_PORT" posix "$work/s3" >"$work/s3.log" 2>&1 &
pids+=($!)
mkdir -p "$work/s3/media" # a bucket is a directory of the posix backend
wait_for "http://127.0.0.1:$S3_PORT/" "${pids[-1]}"
s3args=(--media-store s3://media/bench --s3-endpoint "http://127.0.0.1:$S3_PORT" --s3-path-style --s3-region us-east-1 --s3-access-key bench --s3-secret-key benchsecret)

# One 12-megapixel photo, uploaded once into each store.
go run ./bench/mediaphoto "$work/photo.jpg"

for store in local s3; do
	data=$work/data-$store
	extra=()
	[ "$store" = s3 ] && extra=("${s3args[@]}")
	printf 'correct horse\n' | "$bin" user add --data "$data" --email b@example.com --name Bench --role editor >/dev/null
	token=$("$bin" token create --data "$data" --email b@example.com --name bench)
	"$bin" serve --addr "127.0.0.1:$PORT" --data "$data" --log-level warn "${extra[@]}" >"$work/serve-$store.log" 2>&1 &
	pid=$!
	pids+=($pid)
	wait_for "http://127.0.0.1:$PORT/readyz" $pid
	url=$(curl -sf -H "Authorization: Bearer $token" -F alt=bench -F "file=@$work/photo.jpg" "http://127.0.0.1:$PORT/api/v1/admin/media" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["renditions"][1]["url"])')
	size=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$PORT$url")
	say "## $store: GET $url ($size bytes)"
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$url" | tee -a "$out" | grep -E 'Requests/sec|Transfer/sec|^ +(50|99)%'
	kill $pid; wait $pid 2>/dev/null || true
done
say "results in $out"
