#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks, listening on 127.0.0.1 only.
#
#   tools/postgres.sh start DIR PORT   create (first time) and start the cluster in DIR; print its URL
#   tools/postgres.sh stop DIR         stop it (fast shutdown)
#
# As root on Debian, installs the `postgresql` package when missing and runs the cluster as the
# `postgres` system user (initdb refuses root). As any other user, runs it as that user.
# The role `seatdesk` (password `seatdesk`, may create databases) owns the database
# `seatdesk_test`. Idempotent; prints nothing but the URL on success.
# The cluster trades durability for speed (fsync off): it is for throwaway test data only.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

pg_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
        return 1
    fi
    echo "$dir"
}

ensure_installed() {
    pg_bindir >/dev/null && return 0
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "PostgreSQL is not installed; as root: apt-get install postgresql" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    pg_bindir >/dev/null || { echo "PostgreSQL binaries not found after install" >&2; exit 1; }
}

# Run a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || usage

case "$cmd" in
start)
    port="${3:-}"
    [[ "$port" =~ ^[0-9]+$ ]] || usage
    ensure_installed
    bin="$(pg_bindir)"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    data="$dir/data"
    sock="$dir/sock"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "$dir is not reachable by the postgres user (check its parent folders)" >&2
            exit 1
        fi
    fi
    as_owner mkdir -p "$sock"
    if [ ! -f "$data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
        as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
# tools/postgres.sh: a private throwaway cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    if ! as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" start -w -t 60 -D "$data" -l "$dir/postgres.log" \
            -o "-p $port" >/dev/null || {
            tail -n 20 "$dir/postgres.log" >&2
            exit 1
        }
    fi
    # The port of the running cluster (a restart with another PORT keeps the first one).
    running_port="$(as_owner sed -n 4p "$data/postmaster.pid")"
    psql_admin() {
        as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$running_port" \
            -U postgres -d postgres "$@"
    }
    if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'seatdesk'")" != "1" ]; then
        psql_admin -c "CREATE ROLE seatdesk LOGIN CREATEDB PASSWORD 'seatdesk'" >/dev/null
    fi
    if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'seatdesk_test'")" != "1" ]; then
        psql_admin -c "CREATE DATABASE seatdesk_test OWNER seatdesk" >/dev/null
    fi
    echo "postgresql://seatdesk:seatdesk@127.0.0.1:$running_port/seatdesk_test"
    ;;
stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    bin="$(pg_bindir)" || exit 0
    if as_owner "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" stop -w -t 60 -D "$dir/data" -m fast >/dev/null
    fi
    ;;
*)
    usage
    ;;
esac
