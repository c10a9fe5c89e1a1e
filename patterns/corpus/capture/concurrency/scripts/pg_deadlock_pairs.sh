#!/bin/bash
# Capture real PostgreSQL 15 (Debian 12) output of deadlocks with
# log_lock_waits = on: each deadlock's victim logs `LOG: process N detected
# deadlock while waiting for ...` and then `ERROR: deadlock detected`, from
# the same backend. Writes tests/data/pg-deadlock-pairs.log (stderr format,
# log_line_prefix '%m [%p] ') and pg-deadlock-pairs.jsonlog.
# Re-runnable: wipes and re-creates its own cluster under $BASE, port 21433.
set -eu
BASE=/tmp/tailwatch-capture/deadlock-pairs
OUT=${1:-$(cd "$(dirname "$0")/../../../.." && pwd)}
PORT=21433
BIN=/usr/lib/postgresql/15/bin
DEADLOCKS=${DEADLOCKS:-6}
if [ -f "$BASE/data/postmaster.pid" ]; then runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m immediate stop || true; fi
rm -rf "$BASE"; mkdir -p "$BASE/log"; chown -R postgres:postgres "$BASE"
runuser -u postgres -- $BIN/initdb -D "$BASE/data" --auth=trust -U postgres >/dev/null
cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$BASE/log'
log_filename = 'postgresql.log'
log_line_prefix = '%m [%p] '
log_lock_waits = on
deadlock_timeout = 200ms
log_min_messages = info
CONF
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -l "$BASE/log/startup.log" -w start >/dev/null
P="runuser -u postgres -- psql -X -q -h 127.0.0.1 -p $PORT -U postgres -d postgres"
$P -c "CREATE TABLE acc(id int primary key, bal int)" -c "INSERT INTO acc VALUES (1, 100), (2, 100)"
for i in $(seq 1 "$DEADLOCKS"); do
  # Two transactions update the two rows in opposite orders.
  $P -c "BEGIN" -c "UPDATE acc SET bal = bal - 1 WHERE id = 1" -c "SELECT pg_sleep(0.5)" \
     -c "UPDATE acc SET bal = bal + 1 WHERE id = 2" -c "COMMIT" >/dev/null 2>&1 &
  sleep 0.1
  $P -c "BEGIN" -c "UPDATE acc SET bal = bal - 1 WHERE id = 2" -c "SELECT pg_sleep(0.5)" \
     -c "UPDATE acc SET bal = bal + 1 WHERE id = 1" -c "COMMIT" >/dev/null 2>&1 || true
  wait
  sleep 0.3
done
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m fast -w stop >/dev/null
cp "$BASE/log/postgresql.log" "$OUT/pg-deadlock-pairs.log"
cp "$BASE/log/postgresql.json" "$OUT/pg-deadlock-pairs.jsonlog"
echo "wrote $OUT/pg-deadlock-pairs.log and .jsonlog ($DEADLOCKS deadlocks)"
