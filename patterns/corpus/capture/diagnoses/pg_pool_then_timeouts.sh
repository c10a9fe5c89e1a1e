#!/bin/bash
# Capture real PostgreSQL 15 (Debian 12) output of a connection limit
# reached, then statement timeouts: the database's clients pile up to
# max_connections (new ones get `FATAL: sorry, too many clients already`),
# and the sessions that hold the slots run statements that hit
# statement_timeout. Writes tests/data/pg-pool-then-timeouts.log (stderr
# format, log_line_prefix '%m [%p] '). Re-runnable: wipes and re-creates its
# own cluster under $BASE, port 21434.
set -eu
BASE=/tmp/tailwatch-capture/pool-then-timeouts
OUT=${1:-$(cd "$(dirname "$0")/../../../.." && pwd)}
PORT=21434
BIN=/usr/lib/postgresql/15/bin
if [ -f "$BASE/data/postmaster.pid" ]; then runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m immediate stop || true; fi
rm -rf "$BASE"; mkdir -p "$BASE/log"; chown -R postgres:postgres "$BASE"
runuser -u postgres -- $BIN/initdb -D "$BASE/data" --auth=trust -U postgres >/dev/null
cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
logging_collector = on
log_directory = '$BASE/log'
log_filename = 'postgresql.log'
log_line_prefix = '%m [%p] '
max_connections = 6
superuser_reserved_connections = 0
CONF
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -l "$BASE/log/startup.log" -w start >/dev/null
P="runuser -u postgres -- psql -X -q -h 127.0.0.1 -p $PORT -U postgres -d postgres"
# Six sessions take every slot and hold it for 40 s ...
for i in 1 2 3 4 5 6; do $P -c "SELECT pg_sleep(40)" >/dev/null 2>&1 & done
sleep 2
# ... so the clients that come next are turned away, for 20 s ...
for i in $(seq 1 10); do $P -c "SELECT 1" >/dev/null 2>&1 || true; sleep 2; done
wait
# ... and then the sessions that got in run into statement_timeout.
for i in 1 2 3 4; do
  $P -c "SET statement_timeout = '1s'" -c "SELECT pg_sleep(3)" >/dev/null 2>&1 || true
  sleep 1
done
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m fast -w stop >/dev/null
cp "$BASE/log/postgresql.log" "$OUT/pg-pool-then-timeouts.log"
echo "wrote $OUT/pg-pool-then-timeouts.log"
