#!/usr/bin/env bash
# test-op.sh builds the real OpenID provider the sign-in tests use -- the
# example OP of zitadel/oidc v3.52.0, a certified OIDC library -- once,
# in a scratch module outside the repository, and prints the line that
# points the tests at it:
#
#   eval "$(scripts/test-op.sh)"     # sets BYLINE_TEST_OIDC_OP
#   go test ./internal/cli/ -run TestSignInWithRealOpenIDProvider
#
# The binary is cached under ${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci/;
# running the script again reuses it. It needs the Go toolchain and the
# module proxy (or a module cache that already holds the OP's modules).
# Only the export line goes to standard output.
set -euo pipefail

VERSION=v3.52.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/byline-ci
BIN=$CACHE/zitadel-oidc-op-$VERSION
if [ ! -x "$BIN" ]; then
	printf 'test-op: building the zitadel/oidc %s example OP\n' "$VERSION" >&2
	mkdir -p "$CACHE"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	(
		cd "$work"
		go mod init op >/dev/null 2>&1
		GOFLAGS=-mod=mod go get "github.com/zitadel/oidc/v3/example/server@$VERSION" >&2
		go build -o "$BIN.tmp" github.com/zitadel/oidc/v3/example/server >&2
	)
	mv "$BIN.tmp" "$BIN"
fi
printf 'export BYLINE_TEST_OIDC_OP=%q\n' "$BIN"
