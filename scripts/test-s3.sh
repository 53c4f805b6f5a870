#!/usr/bin/env bash
# test-s3.sh builds the real S3 server the object-storage tests use --
# versitygw v1.8.0, an S3 gateway over a POSIX directory -- once, in a
# scratch GOPATH outside the repository, and prints the line that points
# the tests at it:
#
#   eval "$(scripts/test-s3.sh)"     # sets BYLINE_TEST_VERSITYGW
#   go test ./internal/media/ ./internal/cli/ -run S3
#
# The binary is cached under ${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci/
# (about 2 minutes to build on 2 cores the first time). Only the export
# line goes to standard output.
set -euo pipefail

VERSION=v1.8.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci
BIN=$CACHE/versitygw-$VERSION
if [ ! -x "$BIN" ]; then
	printf 'test-s3: building versitygw %s\n' "$VERSION" >&2
	mkdir -p "$CACHE"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	GOPATH="$work/gopath" GOBIN="$work/bin" GOFLAGS=-modcacherw \
		go install "github.com/versity/versitygw/cmd/versitygw@$VERSION" >&2
	mv "$work/bin/versitygw" "$BIN.tmp"
	mv "$BIN.tmp" "$BIN"
fi
printf 'export BYLINE_TEST_VERSITYGW=%q\n' "$BIN"
