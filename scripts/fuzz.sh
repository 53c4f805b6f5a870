#!/usr/bin/env bash
# fuzz.sh runs every fuzz target for FUZZTIME each (default 30s) and
# prints how many inputs each ran:
#
#   scripts/fuzz.sh              # all targets, 30 s each
#   FUZZTIME=5s scripts/fuzz.sh  # a quick pass
#
# Seed corpora live in each package's testdata/fuzz/<Target>/ and run as
# ordinary tests with `go test`. When a target finds a failing input, Go
# writes it there too: commit it, so it stays a regular test case.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-30s}
targets=(
	"./internal/comments/ FuzzCommentHTML"
	"./internal/comments/ FuzzNormalizeBody"
	"./internal/markup/ FuzzMarkdownHTML"
	"./internal/wpimport/ FuzzWXR"
	"./internal/dictionary/ FuzzNormalizeAndMorphy"
	"./internal/store/sqlitestore/ FuzzFTSQuery"
	"./internal/readerauth/ FuzzSafeReturn"
	"./internal/newsroom/ FuzzSafeNext"
	"./internal/news/ FuzzSlugify"
	"./internal/api/ FuzzDecodeCursor"
	"./internal/media/ FuzzReadUpload"
)
failed=0
summary=""
for t in "${targets[@]}"; do
	set -- $t
	out=$(go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZTIME" 2>&1)
	rc=$?
	execs=$(printf '%s\n' "$out" | grep -o 'execs: [0-9]*' | tail -1 | cut -d' ' -f2)
	if [ $rc -ne 0 ]; then
		failed=1
		printf '%s\n' "$out" | tail -30
		summary+=$(printf '%-24s %12s  FAILED' "$2" "${execs:-0}")$'\n'
	else
		summary+=$(printf '%-24s %12s inputs' "$2" "${execs:-0}")$'\n'
	fi
done
printf '\nfuzz targets (%s each):\n%s' "$FUZZTIME" "$summary"
exit $failed
