#!/usr/bin/env bash
# Prints how to run AbleWork's test suite against a local PostgreSQL, and
# whether one is reachable right now. Changes nothing.
#
#   scripts/pg-test-db.sh            # instructions + status
#   eval "$(scripts/pg-test-db.sh --env)"   # just export the variables
set -euo pipefail

URL="${ABLEWORK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

if [ "${1:-}" = "--env" ]; then
  echo "export ABLEWORK_TEST_POSTGRES_URL='${URL}'"
  echo "export ABLEWORK_REQUIRE_POSTGRES=1"
  exit 0
fi
if [ $# -gt 0 ]; then
  echo "usage: $0 [--env]" >&2
  exit 2
fi

status="unknown (pg_isready not installed)"
if command -v pg_isready >/dev/null 2>&1; then
  if pg_isready -q -h 127.0.0.1 -p 5432 -t 2; then
    status="accepting connections on 127.0.0.1:5432"
    if command -v psql >/dev/null 2>&1; then
      if psql "$URL" -X -q -t -A -c 'select 1' >/dev/null 2>&1; then
        status="$status; ${URL} connects"
      else
        status="$status; but ${URL} does not connect (database missing? see step 2)"
      fi
    fi
  else
    status="NOT running on 127.0.0.1:5432 (see step 1)"
  fi
fi

cat <<EOF
AbleWork storage tests run on SQLite always, and on PostgreSQL when
ABLEWORK_TEST_POSTGRES_URL is set. With ABLEWORK_REQUIRE_POSTGRES=1 a
missing server fails the tests instead of skipping them (CI sets both).

PostgreSQL now: ${status}

1. Start the machine's PostgreSQL if it is not running:
     pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start
     pg_isready -h 127.0.0.1 -p 5432
   (or a throwaway cluster, independent of the machine's, as user postgres:
     d=\$(mktemp -d) && chown postgres "\$d"
     su postgres -c "/usr/lib/postgresql/15/bin/initdb -D \$d/data -A trust -U postgres"
     su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D \$d/data -o '-p 5433 -k \$d' -l \$d/log start"
     createdb -h 127.0.0.1 -p 5433 -U postgres test
   and use postgres://postgres@127.0.0.1:5433/test below.)

2. Create the test database if it is missing:
     createdb -h 127.0.0.1 -U postgres test

3. Run the tests on both databases:
     ABLEWORK_REQUIRE_POSTGRES=1 \\
     ABLEWORK_TEST_POSTGRES_URL=${URL} \\
       cargo test --workspace

   Only one crate, e.g.:
     ABLEWORK_REQUIRE_POSTGRES=1 ABLEWORK_TEST_POSTGRES_URL=${URL} \\
       cargo test -p ablework_store_sql

   Or export the variables into your shell:
     eval "\$(scripts/pg-test-db.sh --env)"

4. The whole CI run (fmt, clippy, tests, release build, browser check):
     bash .ci/run
EOF
