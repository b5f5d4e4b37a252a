# Services the test suite needs: a real PostgreSQL on loopback, from Debian's packages.
#
# Source it from .ci/run so the DSN reaches pytest:
#     source .ci/services.sh        # exports NEWSGRAPH_TEST_PG
# or run it and eval what it prints:
#     eval "$(bash .ci/services.sh)"
#
# Idempotent: installs postgresql only when missing, initialises its own data directory once
# (owned by the postgres user, separate from Debian's default cluster), starts the server only
# when it is not already answering, and creates the role and database only when absent.
# Settings (environment): NEWSGRAPH_PG_PORT (5433), NEWSGRAPH_PG_DATA (/var/lib/postgresql/newsgraph-ci).
# Dask needs no service here: tests/test_cluster.py starts a LocalCluster with 2 worker processes.

_ng_pg_main() {
    local port="${NEWSGRAPH_PG_PORT:-5433}"
    local data="${NEWSGRAPH_PG_DATA:-/var/lib/postgresql/newsgraph-ci}"
    local user=newsgraph pass=newsgraph db=newsgraph_test
    local bin

    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        echo "services: installing postgresql (Debian package)" >&2
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq postgresql; } >&2 || {
            echo "services: apt-get install postgresql failed" >&2; return 1; }
    fi
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

    if [ ! -f "$data/PG_VERSION" ]; then
        echo "services: initialising $data" >&2
        mkdir -p "$data" && chown postgres:postgres "$data" && chmod 700 "$data"
        local pw; pw="$(mktemp)"; echo "$pass" > "$pw"; chown postgres "$pw"
        runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth-local=peer \
            --auth-host=scram-sha-256 --pwfile="$pw" -E UTF8 --locale=C.UTF-8 >&2 || {
            rm -f "$pw"; echo "services: initdb failed" >&2; return 1; }
        rm -f "$pw"
    fi

    if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        echo "services: starting PostgreSQL on 127.0.0.1:$port" >&2
        mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql
        runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
            -o "-p $port -c listen_addresses=127.0.0.1 -k /var/run/postgresql -c max_connections=100" >&2 || {
            echo "services: PostgreSQL did not start; see $data/server.log" >&2; return 1; }
    fi

    local psql=("$bin/psql" -h /var/run/postgresql -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$(runuser -u postgres -- "${psql[@]}" -c "select 1 from pg_roles where rolname='$user'")" != 1 ]; then
        runuser -u postgres -- "${psql[@]}" -c "create role $user login password '$pass'" >&2 || return 1
    fi
    if [ "$(runuser -u postgres -- "${psql[@]}" -c "select 1 from pg_database where datname='$db'")" != 1 ]; then
        runuser -u postgres -- "${psql[@]}" -c "create database $db owner $user" >&2 || return 1
    fi
    NEWSGRAPH_TEST_PG="postgresql://$user:$pass@127.0.0.1:$port/$db"
    export NEWSGRAPH_TEST_PG
    echo "services: PostgreSQL ready: NEWSGRAPH_TEST_PG=$NEWSGRAPH_TEST_PG" >&2
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    _ng_pg_main                                    # sourced: export into the caller
else
    _ng_pg_main && echo "export NEWSGRAPH_TEST_PG='$NEWSGRAPH_TEST_PG'"
fi
