#!/usr/bin/env bash
# bench/lighthouse.sh runs Lighthouse (mobile preset: a throttled mid-range
# phone) RUNS times on the home page, a section front and the longest
# article of a running paper and prints the median of each category score,
# with CLS, LCP and total byte weight. See bench/README.md.
#
#   bench/lighthouse.sh http://127.0.0.1:8080
#   RUNS=5 PAGES="/ /section/national /article/10/x" bench/lighthouse.sh URL
#
# Needs tools/node_modules (npm ci --prefix tools) and Chromium
# ($BYLINE_CHROMIUM or /usr/bin/chromium). Pages: $PAGES, else those that
# go run ./bench/phoneweight picks (home, first section, longest article).
set -euo pipefail
base=${1:-http://127.0.0.1:8080}
base=${base%/}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
lh=tools/node_modules/.bin/lighthouse
[ -x "$lh" ] || { echo "lighthouse missing: npm ci --prefix tools" >&2; exit 1; }
export CHROME_PATH=${BYLINE_CHROMIUM:-/usr/bin/chromium}
if [ -z "${PAGES:-}" ]; then
	PAGES=$(go run ./bench/phoneweight -base "$base" | awk 'NR>2{print $1}' | tr '\n' ' ')
fi
work=$(mktemp -d /tmp/byline-lh.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "# Lighthouse $("$lh" --version), mobile preset, median of $RUNS runs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
printf '%-44s %5s %5s %5s %5s %7s %7s %8s\n' page perf a11y bp seo cls lcp_ms kib
for p in $PAGES; do
	for i in $(seq 1 "$RUNS"); do
		"$lh" "$base$p" --quiet --output=json --output-path="$work/r$i.json" \
			--only-categories=performance,accessibility,best-practices,seo \
			--chrome-flags="--headless=new --no-sandbox --disable-dev-shm-usage" >/dev/null 2>&1 ||
			{ echo "lighthouse failed on $p" >&2; exit 1; }
	done
	jq -s -r --arg p "$p" '
		def med: sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end;
		[ $p,
		  (map(.categories.performance.score * 100) | med),
		  (map(.categories.accessibility.score * 100) | med),
		  (map(.categories["best-practices"].score * 100) | med),
		  (map(.categories.seo.score * 100) | med),
		  (map(.audits["cumulative-layout-shift"].numericValue) | med * 1000 | round / 1000),
		  (map(.audits["largest-contentful-paint"].numericValue) | med | round),
		  (map(.audits["total-byte-weight"].numericValue) | med / 1024 | round) ] | @tsv' "$work"/r*.json |
		awk -F'\t' '{printf "%-44s %5s %5s %5s %5s %7s %7s %8s\n", $1, $2, $3, $4, $5, $6, $7, $8}'
	rm -f "$work"/r*.json
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
