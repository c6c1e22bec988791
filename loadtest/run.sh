#!/usr/bin/env bash
# Load test: gunicorn started with the Dockerfile's own CMD line (as `make serve` runs it), production
# settings, PostgreSQL, and wrk driving a mix of list, filter, search, detail and export requests
# (loadtest/mix.lua) from CONNECTIONS concurrent clients for DURATION seconds, at most MAX_REQUESTS.
# Loopback only: the server listens on 127.0.0.1 and wrk is pointed at it, nothing else.
#
#   make load                                  # 50 clients, 60 s, database partnerships_load
#   CONNECTIONS=20 DURATION=30 make load
#   LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other make load
#   WARMUP=20 make load                        # a longer warm-up (default 3 s): the steady state
#   EXPORTS=0 make load                        # the pages only, without the two exports of every row
#   GUNICORN_CMD="exec gunicorn config.wsgi --bind 127.0.0.1:\$PORT --workers 5" make load   # tuning
#
# Needs wrk (apt-get install wrk) and a PostgreSQL server; the database is created if missing and
# given the world's catalogue (build_catalogue: the curated stories and the bundled open data; skipped
# when already built). Exits non-zero when any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-60}
MAX_REQUESTS=${MAX_REQUESTS:-200000}
WRK_THREADS=${WRK_THREADS:-$(( CONNECTIONS < 2 ? CONNECTIONS : 2 ))}
DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/partnerships_load}
PY=.venv/bin/python
export PATH="$PWD/.venv/bin:$PATH" DATABASE_URL MAX_REQUESTS WRK_THREADS

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "The load test runs on PostgreSQL: set LOAD_DATABASE_URL=postgres://..." >&2; exit 1;; esac

# Production settings, plain HTTP on the loopback interface.
DJANGO_SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=0
unset DJANGO_DEBUG
PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PORT
BASE="http://127.0.0.1:$PORT"

$PY - <<'PY'
import os, psycopg
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                     dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")
PY
$PY manage.py build_catalogue
$PY manage.py collectstatic --noinput -v 0

LOG=$(mktemp)
CMD=${GUNICORN_CMD:-$(sed -n 's/^CMD //p' Dockerfile)}  # GUNICORN_CMD: try another command line when tuning
echo "+ $CMD   (PORT=$PORT, WEB_CONCURRENCY=${WEB_CONCURRENCY:-default})"
sh -c "$CMD" >"$LOG" 2>&1 </dev/null &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 60); do
    curl -fsS --max-time 2 "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { cat "$LOG"; echo "gunicorn exited" >&2; exit 1; }
    sleep 0.5
done
curl -fsS --max-time 5 "$BASE/healthz" >/dev/null

# Warm up every worker (first requests load templates and open database connections; WARMUP seconds).
WARMUP=${WARMUP:-3}
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s loadtest/mix.lua "$BASE" >/dev/null

echo "wrk: $CONNECTIONS connections, $DURATION s, at most $MAX_REQUESTS requests, $BASE"
OUT=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s loadtest/mix.lua "$BASE")
echo "$OUT"
RESULT=$(echo "$OUT" | grep '^RESULT')
ERRORS=$(echo "$RESULT" | sed 's/.* errors=\([0-9]*\).*/\1/')
SERVER_ERRORS=$(awk '$9 ~ /^5/' "$LOG" | wc -l)
echo "gunicorn: $(grep -c '" [1-5][0-9][0-9] ' "$LOG" || true) requests logged, $SERVER_ERRORS with status 5xx; $(grep -ci 'worker timeout\|error' "$LOG" || true) error lines"
[ "$ERRORS" = 0 ] && [ "$SERVER_ERRORS" = 0 ] || { echo "LOAD TEST FAILED: $ERRORS errors" >&2; exit 1; }
echo "load test passed: ${RESULT#RESULT }"
