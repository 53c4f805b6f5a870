#!/usr/bin/env bash
# test-mail.sh builds the real mail server the notice tests use --
# mailpit v1.33.1, an SMTP server that keeps what it receives and shows it
# through an HTTP API -- once, in a scratch GOPATH outside the repository,
# and prints the line that points the tests at it:
#
#   eval "$(scripts/test-mail.sh)"     # sets BYLINE_TEST_MAILPIT
#   go test ./internal/mail/ ./internal/comments/web/ -run Mail
#
# The binary is cached under ${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci/.
# Only the export line goes to standard output.
set -euo pipefail

VERSION=v1.33.1
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci
BIN=$CACHE/mailpit-$VERSION
if [ ! -x "$BIN" ]; then
	printf 'test-mail: building mailpit %s\n' "$VERSION" >&2
	mkdir -p "$CACHE"
	work=$(mktemp -d)
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	GOPATH="$work/gopath" GOBIN="$work/bin" GOFLAGS=-modcacherw \
		go install "github.com/axllent/mailpit@$VERSION" >&2
	mv "$work/bin/mailpit" "$BIN.tmp"
	mv "$BIN.tmp" "$BIN"
fi
printf 'export BYLINE_TEST_MAILPIT=%q\n' "$BIN"
