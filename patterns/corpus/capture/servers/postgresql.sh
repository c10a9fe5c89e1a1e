#!/bin/bash
# Capture real PostgreSQL 15 (Debian 12) log lines: trouble + hard-benign.
# Re-runnable: wipes and re-creates its own cluster under $BASE; port 35432 on 127.0.0.1.
set -u
BASE=/tmp/tailwatch-capture/servers/pg
OUT=/tmp/tailwatch-capture/servers/out
PORT=21432
BIN=/usr/lib/postgresql/15/bin
apt-get install -y -q -o DPkg::Lock::Timeout=900 postgresql-15 >/dev/null
mkdir -p "$OUT"
# stop a previous run of this script (only our own postmaster, by pid file)
if [ -f "$BASE/data/postmaster.pid" ]; then runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m immediate stop || true; fi
rm -rf "$BASE"; mkdir -p "$BASE/log"; chown -R postgres:postgres "$BASE"
runuser -u postgres -- $BIN/initdb -D "$BASE/data" --auth=trust -U postgres >/dev/null
cat >> "$BASE/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$BASE'
max_connections = 5
superuser_reserved_connections = 1
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$BASE/log'
log_filename = 'postgresql.log'
log_line_prefix = '%m [%p] '
log_lock_waits = on
deadlock_timeout = 200ms
log_connections = on
log_disconnections = on
log_checkpoints = on
log_min_messages = info
CONF
# a virtual-memory cap on the postmaster (and so its backends) makes palloc fail with "out of memory"
( ulimit -v 1600000; runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -l "$BASE/log/startup.log" -w start )
P="runuser -u postgres -- psql -X -q -h 127.0.0.1 -p $PORT -U postgres"
CL="$OUT/postgresql-client.txt"; : > "$CL"
$P -d postgres -c "CREATE DATABASE capdb" -c "CREATE ROLE app LOGIN" 2>>"$CL"
$P -d capdb 2>>"$CL" <<SQL
CREATE TABLE accounts(id int primary key, balance int);
INSERT INTO accounts SELECT g, 100 FROM generate_series(1,10) g;
CREATE TABLE events(stream_id text, version int, payload jsonb, UNIQUE(stream_id, version));
INSERT INTO events VALUES ('order-42', 1, '{}'), ('order-42', 2, '{}');
CREATE TABLE doctors(name text primary key, on_call bool);
INSERT INTO doctors VALUES ('alice', true), ('bob', true);
GRANT ALL ON ALL TABLES IN SCHEMA public TO app;
SQL
# hard benign: settings logged as statements
$P -d capdb 2>>"$CL" <<SQL
SET log_statement = 'all';
SET statement_timeout = '30s';
SET lock_timeout = '5s';
SET idle_in_transaction_session_timeout = '10min';
SHOW max_connections;
SHOW deadlock_timeout;
SQL
# 1. statement_timeout
$P -d capdb -c "SET statement_timeout = '150ms'" -c "SELECT pg_sleep(2)" 2>>"$CL"
$P -d capdb -c "SET statement_timeout = '300ms'" -c "SELECT count(*) FROM generate_series(1,200000000)" 2>>"$CL"
# 2. lock wait logged + acquired after
$P -d capdb -c "BEGIN" -c "UPDATE accounts SET balance = balance - 1 WHERE id = 1" -c "SELECT pg_sleep(1.2)" -c "COMMIT" 2>>"$CL" &
sleep 0.3
$P -d capdb -c "UPDATE accounts SET balance = balance + 1 WHERE id = 1" 2>>"$CL" &
sleep 0.2
$P -d capdb -c "UPDATE accounts SET balance = balance + 5 WHERE id = 1" 2>>"$CL" &
wait
# relation-level lock wait
$P -d capdb -c "BEGIN" -c "LOCK TABLE events IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(1)" -c "COMMIT" 2>>"$CL" &
sleep 0.3
$P -d capdb -c "SELECT count(*) FROM events" 2>>"$CL" &
wait
# 3. lock_timeout (waits past deadlock_timeout first, so also logs still waiting)
$P -d capdb -c "BEGIN" -c "UPDATE accounts SET balance = 0 WHERE id = 2" -c "SELECT pg_sleep(1.5)" -c "COMMIT" 2>>"$CL" &
sleep 0.3
$P -d capdb -c "SET lock_timeout = '500ms'" -c "UPDATE accounts SET balance = 1 WHERE id = 2" 2>>"$CL" &
wait
$P -d capdb -c "BEGIN" -c "LOCK TABLE accounts IN SHARE MODE" -c "SELECT pg_sleep(1.0)" -c "COMMIT" 2>>"$CL" &
sleep 0.3
$P -d capdb -c "SET lock_timeout = '100ms'" -c "DELETE FROM accounts WHERE id = 10" 2>>"$CL" &
wait
# 4. deadlock (two runs, rows in opposite order)
for pair in "3 4" "5 6"; do
  set -- $pair
  $P -d capdb -c "BEGIN" -c "UPDATE accounts SET balance = balance - 10 WHERE id = $1" -c "SELECT pg_sleep(0.5)" -c "UPDATE accounts SET balance = balance + 10 WHERE id = $2" -c "COMMIT" 2>>"$CL" &
  $P -d capdb -c "BEGIN" -c "UPDATE accounts SET balance = balance - 10 WHERE id = $2" -c "SELECT pg_sleep(0.5)" -c "UPDATE accounts SET balance = balance + 10 WHERE id = $1" -c "COMMIT" 2>>"$CL" &
  wait
done
# 5. serialization failures (40001)
$P -d capdb -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT balance FROM accounts WHERE id = 7" -c "SELECT pg_sleep(0.6)" -c "UPDATE accounts SET balance = balance + 1 WHERE id = 7" -c "COMMIT" 2>>"$CL" &
sleep 0.2
$P -d capdb -c "UPDATE accounts SET balance = balance - 1 WHERE id = 7" 2>>"$CL"
wait
$P -d capdb -c "BEGIN ISOLATION LEVEL SERIALIZABLE" -c "SELECT count(*) FROM doctors WHERE on_call" -c "SELECT pg_sleep(0.5)" -c "UPDATE doctors SET on_call = false WHERE name = 'alice'" -c "COMMIT" 2>>"$CL" &
$P -d capdb -c "BEGIN ISOLATION LEVEL SERIALIZABLE" -c "SELECT count(*) FROM doctors WHERE on_call" -c "SELECT pg_sleep(0.5)" -c "UPDATE doctors SET on_call = false WHERE name = 'bob'" -c "SELECT pg_sleep(0.3)" -c "COMMIT" 2>>"$CL" &
wait
# 6. unique violation on (stream_id, version) = optimistic concurrency on an event stream
$P -d capdb -c "INSERT INTO events(stream_id, version, payload) VALUES ('order-42', 2, '{\"type\":\"OrderShipped\"}')" 2>>"$CL"
$P -d capdb -U app -c "INSERT INTO events(stream_id, version, payload) VALUES ('order-42', 1, '{\"type\":\"OrderPlaced\"}')" 2>>"$CL"
$P -d capdb -c "BEGIN" -c "INSERT INTO events VALUES ('cart-7', 1, '{}')" -c "SELECT pg_sleep(0.5)" -c "COMMIT" 2>>"$CL" &
sleep 0.2
$P -d capdb -c "INSERT INTO events VALUES ('cart-7', 1, '{}')" 2>>"$CL"
wait
# 7. idle_in_transaction_session_timeout / idle_session_timeout
( echo "SET idle_in_transaction_session_timeout = '300ms'; BEGIN; SELECT 1;"; sleep 1; echo "SELECT 2;" ) | $P -d capdb 2>>"$CL"
( echo "SET idle_session_timeout = '400ms';"; sleep 1.2; echo "SELECT 3;" ) | $P -d capdb -U app 2>>"$CL"
wait
# 8. out of memory (ulimit -v on the postmaster; work_mem very large; and a string buffer > 1GB)
$P -d capdb -c "SET work_mem = '2GB'" -c "SELECT count(*) FROM (SELECT g % 5000000 AS k, array_agg(g) FROM generate_series(1, 20000000) g GROUP BY 1) s" 2>>"$CL"
$P -d capdb -c "SELECT length(string_agg(repeat('x', 1000), '')) FROM generate_series(1, 1200000)" 2>>"$CL"
# 9. too many clients (max_connections=5, 1 reserved for superusers)
for i in 1 2 3 4; do $P -d capdb -U app -c "SELECT pg_sleep(2)" 2>>"$CL" & done
sleep 0.7
$P -d capdb -U app -c "SELECT 1" 2>>"$CL"
$P -d capdb -c "SELECT pg_sleep(1.5)" 2>>"$CL" &
sleep 0.4
$P -d capdb -c "SELECT 1" 2>>"$CL"
$P -d postgres -c "SELECT 1" 2>>"$CL"
wait
# 10. benign: reload with changed timeout settings, checkpoint
cat >> "$BASE/data/postgresql.conf" <<CONF
deadlock_timeout = 1s
statement_timeout = 30s
idle_session_timeout = 0
CONF
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" reload
sleep 0.5
$P -d capdb -c "CHECKPOINT" 2>>"$CL"
# 11. backend killed with SIGKILL -> postmaster crash recovery
$P -d capdb -c "SELECT pg_sleep(30)" 2>>"$CL" &
$P -d capdb -U app -c "SELECT pg_sleep(30)" 2>>"$CL" &
sleep 1
VICTIM=$($P -d postgres -At -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND usename = 'postgres' LIMIT 1")
[ -n "$VICTIM" ] && kill -9 "$VICTIM"
wait
sleep 0.5
$P -d capdb -c "SELECT 1" 2>>"$CL"   # usually: FATAL the database system is in recovery mode
for i in $(seq 1 60); do runuser -u postgres -- $BIN/pg_isready -q -h 127.0.0.1 -p $PORT && break; sleep 1; done
$P -d capdb -c "SELECT 1" 2>>"$CL" >/dev/null
# stop (fast) and collect
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/data" -m fast -w stop
cp "$BASE/log/postgresql.log" "$OUT/postgresql.log"
cp "$BASE/log/postgresql.json" "$OUT/postgresql.json"
chmod 644 "$OUT/postgresql.log" "$OUT/postgresql.json"
$BIN/postgres --version > "$OUT/postgresql.version"
echo "postgresql capture done"
