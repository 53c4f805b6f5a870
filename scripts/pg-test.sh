#!/usr/bin/env bash
# pg-test.sh starts a throwaway PostgreSQL cluster for Byline's tests and
# prints the URL to test against:
#
#   eval "$(scripts/pg-test.sh)"          # sets BYLINE_TEST_POSTGRES
#   go test ./internal/store/pgstore/
#   scripts/pg-test.sh stop               # stop the cluster (data kept)
#   scripts/pg-test.sh destroy            # stop it and delete its files
#
# It needs Debian's PostgreSQL server binaries (apt-get install -y
# postgresql) but not the packaged cluster: it initdb's its own under
# $BYLINE_PG_DIR (default /tmp/byline-pg), listening only on 127.0.0.1 at
# $BYLINE_PG_PORT (default 54329) with trust authentication and durability
# turned off. Never point it at data you care about.
#
# Run as root, the cluster belongs to the "postgres" user (PostgreSQL
# refuses to run as root); run as anyone else, it belongs to that user.
# Running it again is harmless: a cluster that is up is reused, a stopped
# one is started, a broken one is made anew. Only the export line goes to
# standard output; progress goes to standard error.
set -euo pipefail

DIR=${BYLINE_PG_DIR:-/tmp/byline-pg}
PORT=${BYLINE_PG_PORT:-54329}
DB=${BYLINE_PG_DB:-byline_test}
DATA=$DIR/data
LOG=$DIR/server.log

say() { printf 'pg-test: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# The newest installed server, unless PG_BIN names one.
if [ -z "${PG_BIN:-}" ]; then
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
	die "PostgreSQL server binaries not found (apt-get install -y postgresql, or set PG_BIN)"

if [ "$(id -u)" = 0 ]; then
	OWNER=postgres
	id "$OWNER" >/dev/null 2>&1 || die "user $OWNER does not exist (it comes with Debian's postgresql package)"
	as_owner() { runuser -u "$OWNER" -- "$@"; }
else
	OWNER=$(id -un)
	as_owner() { "$@"; }
fi

pgctl() { as_owner "$PG_BIN/pg_ctl" -D "$DATA" "$@"; }
running() { [ -f "$DATA/PG_VERSION" ] && pgctl status >/dev/null 2>&1; }

case "${1:-start}" in
stop)
	if running; then pgctl -m fast -w stop >&2; else say "not running"; fi
	exit 0
	;;
destroy)
	if running; then pgctl -m immediate -w stop >&2 || true; fi
	rm -rf "$DIR"
	say "removed $DIR"
	exit 0
	;;
start) ;;
*) die "usage: $0 [start|stop|destroy]" ;;
esac

# A data directory of another major version, or one that initdb left half
# made, is thrown away: this cluster holds nothing worth keeping.
want_version=$("$PG_BIN/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
if [ -d "$DATA" ] && ! running; then
	if [ ! -f "$DATA/PG_VERSION" ] || [ ! -f "$DATA/postgresql.conf" ] || [ "$(cat "$DATA/PG_VERSION")" != "$want_version" ]; then
		say "discarding unusable data directory $DATA"
		rm -rf "$DATA"
	fi
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"

if [ ! -f "$DATA/PG_VERSION" ]; then
	say "creating cluster in $DATA ($PG_BIN)"
	# C.UTF-8 classifies and lowercases all of Unicode (text search needs
	# that for non-English words); fall back to plain C where it is missing.
	locale=C
	if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
	as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale="$locale" >"$DIR/initdb.log" 2>&1 ||
		{ cat "$DIR/initdb.log" >&2; die "initdb failed"; }
	# The settings live in the cluster, so that pg_ctl start alone brings it
	# back as it was. Durability is off: this data is thrown away.
	cat >>"$DATA/postgresql.conf" <<EOF

# Added by scripts/pg-test.sh: a throwaway cluster for tests.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
fi

if running; then
	say "cluster in $DATA is already running"
else
	if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
		die "port $PORT on 127.0.0.1 is taken by another server; set BYLINE_PG_PORT"
	fi
	say "starting cluster on 127.0.0.1:$PORT (log: $LOG)"
	# A postmaster.pid left by a killed server is cleared by postgres
	# itself when the process it names is gone.
	pgctl -l "$LOG" -w -t 60 start >&2 || { tail -n 20 "$LOG" >&2 || true; die "the server did not start"; }
fi

for _ in $(seq 1 60); do
	"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
	sleep 0.5
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || die "the server does not answer on 127.0.0.1:$PORT"

psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
if [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
	say "creating database $DB"
	psql -d postgres -c "CREATE DATABASE \"$DB\"" >&2
fi

echo "export BYLINE_TEST_POSTGRES='postgres://postgres@127.0.0.1:$PORT/$DB?sslmode=disable'"
