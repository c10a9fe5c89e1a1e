#!/bin/bash
# Capture real PgBouncer 1.18 (Debian 12) log lines, in front of its own PostgreSQL 15 cluster.
# Re-runnable: own dirs under $BASE; pgbouncer on 127.0.0.1:21433, postgres on 127.0.0.1:21434.
set -u
BASE=/tmp/tailwatch-capture/servers/pgbouncer
OUT=/tmp/tailwatch-capture/servers/out
PORT=21433; PGPORT=21434; DEADPORT=21435; BLACKHOLE=21436
BIN=/usr/lib/postgresql/15/bin
apt-get install -y -q -o DPkg::Lock::Timeout=900 pgbouncer postgresql-15 python3 >/dev/null
mkdir -p "$OUT"
[ -f "$BASE/pgbouncer.pid" ] && kill "$(cat "$BASE/pgbouncer.pid")" 2>/dev/null
[ -f "$BASE/blackhole.pid" ] && kill "$(cat "$BASE/blackhole.pid")" 2>/dev/null
[ -f "$BASE/pg/postmaster.pid" ] && runuser -u postgres -- $BIN/pg_ctl -D "$BASE/pg" -m immediate stop
rm -rf "$BASE"; mkdir -p "$BASE"; chown postgres:postgres "$BASE"
runuser -u postgres -- $BIN/initdb -D "$BASE/pg" --auth=trust -U postgres >/dev/null
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/pg" -l "$BASE/pg.log" -w -o "-p $PGPORT -k $BASE -c listen_addresses=127.0.0.1" start >/dev/null
runuser -u postgres -- psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres -c "CREATE DATABASE capdb" -c "CREATE ROLE app LOGIN"
# a TCP listener that never accepts: connect succeeds, login never finishes -> server_connect_timeout
( python3 -c "
import socket, time, os
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', $BLACKHOLE)); s.listen(64)
open('$BASE/blackhole.pid', 'w').write(str(os.getpid()))
time.sleep(600)
" & )
write_conf() {  # $1 = extra [pgbouncer] settings
cat > "$BASE/pgbouncer.ini" <<CONF
[databases]
capdb = host=127.0.0.1 port=$PGPORT dbname=capdb
deaddb = host=127.0.0.1 port=$DEADPORT dbname=capdb
hangdb = host=127.0.0.1 port=$BLACKHOLE dbname=capdb
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir = $BASE
auth_type = trust
auth_file = $BASE/userlist.txt
admin_users = postgres
stats_users = app
logfile = $BASE/pgbouncer.log
pidfile = $BASE/pgbouncer.pid
pool_mode = session
max_client_conn = 4
default_pool_size = 1
reserve_pool_size = 0
stats_period = 5
log_connections = 1
log_disconnections = 1
log_pooler_errors = 1
verbose = 0
$1
CONF
chown postgres:postgres "$BASE/pgbouncer.ini"
}
echo '"app" ""' > "$BASE/userlist.txt"; echo '"postgres" ""' >> "$BASE/userlist.txt"; chown postgres:postgres "$BASE/userlist.txt"
B="psql -X -q -h 127.0.0.1 -p $PORT -U app"
CL="$OUT/pgbouncer-client.txt"; : > "$CL"
write_conf "query_wait_timeout = 1
server_connect_timeout = 2"
runuser -u postgres -- pgbouncer -d "$BASE/pgbouncer.ini"
sleep 1
# 1. query_wait_timeout: pool of 1 held by a long query, second client waits
$B -d capdb -c "SELECT pg_sleep(3)" 2>>"$CL" >/dev/null &
sleep 0.5
$B -d capdb -c "SELECT 1" 2>>"$CL"
wait
# 2. max_client_conn = 4 reached
for i in 1 2 3 4; do $B -d capdb -c "SELECT pg_sleep(0.5)" 2>>"$CL" >/dev/null & done
sleep 0.2
$B -d capdb -c "SELECT 1" 2>>"$CL"
$B -d capdb -c "SELECT 1" 2>>"$CL"
wait
# 3. server connect refused and server_connect_timeout
$B -d deaddb -c "SELECT 1" 2>>"$CL"
$B -d hangdb -c "SELECT 1" 2>>"$CL"
sleep 6   # let a stats line pass
# 4. query_timeout and idle_transaction_timeout (reload with new settings)
write_conf "query_wait_timeout = 120
query_timeout = 1
idle_transaction_timeout = 1
server_connect_timeout = 15"
kill -HUP "$(cat "$BASE/pgbouncer.pid")"; sleep 0.5
$B -d capdb -c "SELECT pg_sleep(3)" 2>>"$CL"
write_conf "query_wait_timeout = 120
query_timeout = 0
idle_transaction_timeout = 1
server_connect_timeout = 15"
kill -HUP "$(cat "$BASE/pgbouncer.pid")"; sleep 0.5
( echo "BEGIN; SELECT 1;"; sleep 2.5; echo "SELECT 2;" ) | $B -d capdb 2>>"$CL" >/dev/null
# 5. benign: admin console
psql -X -q -h 127.0.0.1 -p $PORT -U postgres pgbouncer -c "SHOW POOLS" -c "SHOW CONFIG" >/dev/null 2>>"$CL"
sleep 6
# stop (SIGINT = safe shutdown)
kill -INT "$(cat "$BASE/pgbouncer.pid")"; sleep 1.5
kill "$(cat "$BASE/blackhole.pid")" 2>/dev/null
runuser -u postgres -- $BIN/pg_ctl -D "$BASE/pg" -m fast -w stop >/dev/null
cp "$BASE/pgbouncer.log" "$OUT/pgbouncer.log"
pgbouncer --version > "$OUT/pgbouncer.version"
echo "pgbouncer capture done"
