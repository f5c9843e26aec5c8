#!/usr/bin/env bash
# Project-local PostgreSQL 15 cluster in .pgdata/ on 127.0.0.1:54329.
# `pg.sh start` creates and starts it on demand; `pg.sh stop` stops it.
# With PGHOST/PGPORT/PGUSER/PGPASSWORD set, the user's server is used and nothing starts.
set -euo pipefail
source "$(dirname "$0")/env.sh"
[ "$TELESALES_EXTERNAL_PG" = 1 ] && exit 0

pgbin=""
for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { pgbin="$d"; break; }
done
[ -n "$pgbin" ] || { echo "pg.sh: PostgreSQL server binaries not found: apt-get install postgresql-15" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the 'postgres' OS user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "pg.sh: running as root needs a 'postgres' OS user (apt-get install postgresql-15 creates it)" >&2; exit 1; }
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

case "${1:-start}" in
start)
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        echo "Creating the PostgreSQL cluster in .pgdata ..."
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR"
        pwfile=$(mktemp); echo "$DB_PASSWORD" > "$pwfile"; chmod 644 "$pwfile"
        as_pg "$pgbin/initdb" -D "$PGDATA_DIR" -U "$DB_USER" --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
        cat >> "$PGDATA_DIR/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $LOCAL_PGPORT
unix_socket_directories = '$PGDATA_DIR'
max_connections = 200
shared_buffers = 512MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    # Settings that may change with the project: (re)written on every start, reloaded.
    grep -q "include_if_exists = 'telesales.conf'" "$PGDATA_DIR/postgresql.conf" \
        || echo "include_if_exists = 'telesales.conf'" >> "$PGDATA_DIR/postgresql.conf"
    # Reports aggregate a million calls: sort and hash in memory, no JIT start-up cost.
    printf "work_mem = '64MB'\njit = off\n" > "$PGDATA_DIR/telesales.conf"
    [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA_DIR/telesales.conf"
    if ! as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null \
            || { echo "pg.sh: PostgreSQL did not start, see .pgdata/server.log" >&2; exit 1; }
    else
        as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" reload >/dev/null
    fi
    ;;
stop)
    if [ -f "$PGDATA_DIR/PG_VERSION" ] && as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_pg "$pgbin/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
        echo "PostgreSQL stopped."
    fi
    ;;
*) echo "usage: pg.sh start|stop" >&2; exit 2 ;;
esac
