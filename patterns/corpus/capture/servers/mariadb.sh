#!/bin/bash
# Capture real MariaDB 10.11 (Debian 12) error-log lines and mysql-CLI error lines.
# Re-runnable: wipes and re-creates its own datadir under $BASE; port 33306 on 127.0.0.1.
set -u
BASE=/tmp/tailwatch-capture/servers/mariadb
OUT=/tmp/tailwatch-capture/servers/out
PORT=21306
apt-get install -y -q -o DPkg::Lock::Timeout=900 mariadb-server mariadb-client >/dev/null
mkdir -p "$OUT"
if [ -f "$BASE/mariadbd.pid" ]; then kill "$(cat "$BASE/mariadbd.pid")" 2>/dev/null; sleep 3; fi
rm -rf "$BASE"; mkdir -p "$BASE"
cat > "$BASE/my.cnf" <<CONF
[mariadbd]
user = mysql
datadir = $BASE/data
socket = $BASE/mariadbd.sock
pid-file = $BASE/mariadbd.pid
port = $PORT
bind-address = 127.0.0.1
log_error = $BASE/error.log
innodb_buffer_pool_size = 64M
innodb_log_file_size = 16M
innodb_lock_wait_timeout = 1
innodb_print_all_deadlocks = ON
max_connections = 10
log_warnings = 4
skip-name-resolve
CONF
chown -R mysql:mysql "$BASE"
mariadb-install-db --defaults-file="$BASE/my.cnf" --auth-root-authentication-method=normal >/dev/null 2>&1
start_server() {
  ( mariadbd --defaults-file="$BASE/my.cnf" >/dev/null 2>&1 & )
  for i in $(seq 1 60); do mariadb-admin --protocol=tcp -h127.0.0.1 -P$PORT -uroot ping >/dev/null 2>&1 && return 0; sleep 1; done
}
start_server
M="mariadb --protocol=tcp -h127.0.0.1 -P$PORT"
CL="$OUT/mariadb-client.txt"; : > "$CL"
$M -uroot 2>>"$CL" <<SQL
CREATE DATABASE capdb;
CREATE USER 'app'@'%';
GRANT ALL ON capdb.* TO 'app'@'%';
USE capdb;
CREATE TABLE accounts(id INT PRIMARY KEY, balance INT) ENGINE=InnoDB;
INSERT INTO accounts VALUES (1,100),(2,100),(3,100),(4,100),(5,100),(6,100);
CREATE TABLE events(stream_id VARCHAR(64), version INT, payload JSON, UNIQUE KEY stream_version (stream_id, version)) ENGINE=InnoDB;
INSERT INTO events VALUES ('order-42',1,'{}'),('order-42',2,'{}');
SELECT @@max_connections, @@innodb_lock_wait_timeout, @@wait_timeout, @@max_statement_time;
SQL
A="$M -uapp capdb"
# 1. deadlocks (1213), twice
for pair in "1 2" "3 4"; do
  set -- $pair
  $A -e "BEGIN; UPDATE accounts SET balance=balance-1 WHERE id=$1; DO SLEEP(0.5); UPDATE accounts SET balance=balance+1 WHERE id=$2; COMMIT;" 2>>"$CL" &
  $A -e "BEGIN; UPDATE accounts SET balance=balance-1 WHERE id=$2; DO SLEEP(0.5); UPDATE accounts SET balance=balance+1 WHERE id=$1; COMMIT;" 2>>"$CL" &
  wait
done
# 2. lock wait timeout (1205), innodb_lock_wait_timeout=1
$A -e "BEGIN; UPDATE accounts SET balance=0 WHERE id=5; DO SLEEP(2); COMMIT;" 2>>"$CL" &
sleep 0.3
$A -e "UPDATE accounts SET balance=1 WHERE id=5" 2>>"$CL"
$A -e "SELECT * FROM accounts WHERE id=5 FOR UPDATE" 2>>"$CL"
wait
# 3. max_statement_time
$A -e "SET SESSION max_statement_time=0.3; SELECT BENCHMARK(500000000, MD5('x'));" 2>>"$CL"
$A -e "SELECT /*+ */ 1 FROM DUAL; SET STATEMENT max_statement_time=0.2 FOR SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c;" 2>>"$CL"
# 4. duplicate (stream_id, version)
$A -e "INSERT INTO events VALUES ('order-42', 2, '{\"type\":\"OrderShipped\"}')" 2>>"$CL"
# 5. aborted connections: idle wait_timeout, killed client, KILL, unauthenticated close
$A -e "SET SESSION wait_timeout=1; DO SLEEP(0);" 2>>"$CL"
( echo "SET SESSION wait_timeout=1;"; sleep 2.5; echo "SELECT 1;" ) | $A 2>>"$CL"
( echo "SET SESSION net_read_timeout=1; SELECT 1;"; sleep 5 ) | $A 2>>"$CL" >/dev/null &
CLIENT=$!
sleep 1; kill -9 $CLIENT 2>/dev/null
$A -e "DO SLEEP(10)" 2>>"$CL" &
sleep 0.7
ID=$($M -uroot -N -e "SELECT id FROM information_schema.processlist WHERE info='DO SLEEP(10)' LIMIT 1")
$M -uroot -e "KILL CONNECTION $ID" 2>>"$CL"
wait
python3 - <<PY
import socket, time
s = socket.create_connection(("127.0.0.1", $PORT)); s.recv(1024); s.close()
time.sleep(0.2)
PY
$M -uapp -pwrongpass capdb -e "SELECT 1" 2>>"$CL"
$M -unobody capdb -e "SELECT 1" 2>>"$CL"
# 6. too many connections (max_connections=10, the minimum MariaDB accepts; root still gets the extra SUPER slot)
for i in $(seq 1 10); do $A -e "DO SLEEP(2.5)" 2>>"$CL" & done
sleep 1.2
$A -e "SELECT 1" 2>>"$CL"
$M -uapp -e "SELECT 1" 2>>"$CL"
$M -uroot -e "SHOW GLOBAL STATUS LIKE 'Max_used_connections'; SHOW GLOBAL STATUS LIKE 'Connection_errors_max_connections'" 2>>"$CL"
wait
# 7. benign: settings changed at runtime, normal restart
$M -uroot -e "SET GLOBAL innodb_lock_wait_timeout=50; SET GLOBAL max_connections=151; SET GLOBAL max_statement_time=30" 2>>"$CL"
mariadb-admin --protocol=tcp -h127.0.0.1 -P$PORT -uroot shutdown
sleep 2
start_server
# 8. crash: SIGSEGV to the server writes its crash report; then crash recovery on restart
kill -SEGV "$(cat "$BASE/mariadbd.pid")"
sleep 4
start_server
mariadb-admin --protocol=tcp -h127.0.0.1 -P$PORT -uroot shutdown
sleep 2
cp "$BASE/error.log" "$OUT/mariadb.log"; chmod 644 "$OUT/mariadb.log"
mariadbd --version > "$OUT/mariadb.version"
echo "mariadb capture done"
