#!/bin/bash
# Capture real output of everyday programs hitting the trouble every
# ecosystem names with the same words (timed out, connection refused or
# reset, deadlock, out of memory, crashed): psql/libpq, curl, CPython
# (logging, requests, socket), Node.js, the JVM's jstack, bash.
# The generic rules' examples (patterns/generic.yaml) come from it.
# Writes $OUT/generic.txt: one record per block, blocks separated by a
# line holding only "----".
set -u
OUT=${1:-/tmp/tailwatch-capture/generic}
mkdir -p "$OUT"; F="$OUT/generic.txt"; : > "$F"
rec() { cat >> "$F"; echo "----" >> "$F"; }
SILENT=21440; RESET=21441; CLOSED=21442
# A server that accepts and never answers, and one that resets.
python3 - <<PY &
import socket, struct, threading, time
def silent():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", $SILENT)); s.listen(64); held = []
    while True: held.append(s.accept()[0])
def reset():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", $RESET)); s.listen(64)
    while True:
        c, _ = s.accept(); c.recv(1024)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
threading.Thread(target=silent, daemon=True).start()
threading.Thread(target=reset, daemon=True).start()
time.sleep(60)
PY
SERVERS=$!
sleep 1
# libpq: refused, timed out, reset.
psql "host=127.0.0.1 port=$CLOSED dbname=app user=app" -c 'select 1' 2>&1 | rec
psql "host=127.0.0.1 port=$SILENT dbname=app user=app connect_timeout=2" -c 'select 1' 2>&1 | rec
psql "host=127.0.0.1 port=$RESET dbname=app user=app" -c 'select 1' 2>&1 | rec
# curl: timed out, refused, reset.
curl -sS -m 1 "http://127.0.0.1:$SILENT/orders" 2>&1 | rec
curl -sS "http://127.0.0.1:$CLOSED/orders" 2>&1 | rec
curl -sS "http://127.0.0.1:$RESET/orders" 2>&1 | rec
# CPython: logging.exception of socket and requests failures.
python3 - <<PY 2>&1 | rec
import logging, socket
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("billing.client")
try:
    socket.create_connection(("127.0.0.1", $SILENT), timeout=1).recv(10)
except Exception:
    log.exception("ledger sync failed")
PY
python3 - <<PY 2>&1 | rec
import logging, requests
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
try:
    requests.get("http://127.0.0.1:$CLOSED/health", timeout=2)
except Exception as e:
    logging.getLogger("orders.gateway").error("health check failed: %s", e)
PY
python3 - <<PY 2>&1 | rec
import logging, requests
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
try:
    requests.get("http://127.0.0.1:$RESET/health", timeout=2)
except Exception as e:
    logging.getLogger("orders.gateway").warning("retrying after: %s", e)
PY
python3 - <<PY 2>&1 | rec
import logging
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
try:
    buf = bytearray(1 << 46)
except MemoryError:
    logging.getLogger("reports.export").exception("export of report 8812 failed")
PY
python3 -c 'import json; json.loads("{\"items\": [" * 1 + "]")' 2>&1 | rec
# Node.js: refused and reset.
node -e "require('net').connect($CLOSED, '127.0.0.1').on('error', e => console.error(new Date().toISOString(), 'ERROR', 'upstream inventory:', e.message))" 2>&1 | rec
node -e "const s = require('net').connect($RESET, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\n\r\n')); s.on('error', e => console.error(new Date().toISOString(), 'ERROR', 'upstream inventory:', e.message))" 2>&1 | rec
# bash: a fork under a memory cap, a crash.
bash -c 'ulimit -v 20000; for i in 1 2; do /bin/true; done; x=$(seq 1 100000000 | sort)' 2>&1 | rec
bash -c 'sh -c "kill -SEGV \$\$"; echo exit=$?' 2>&1 | rec
# The JVM: a deadlock as jstack reports it.
D=$(mktemp -d); cat > "$D/Transfer.java" <<'JAVA'
public class Transfer {
    static final Object a = new Object(), b = new Object();
    public static void main(String[] args) throws Exception {
        Thread t1 = new Thread(() -> { synchronized (a) { sleep(); synchronized (b) { } } }, "transfer-1");
        Thread t2 = new Thread(() -> { synchronized (b) { sleep(); synchronized (a) { } } }, "transfer-2");
        t1.start(); t2.start(); t1.join();
    }
    static void sleep() { try { Thread.sleep(300); } catch (InterruptedException e) { } }
}
JAVA
javac -d "$D" "$D/Transfer.java" && (java -cp "$D" Transfer & J=$!; sleep 2; jstack $J | sed -n '/Found one Java-level deadlock/,/Found 1 deadlock/p' | rec; kill -9 $J)
# nginx access log: 502 (the upstream refuses), 503 (a limit), 504 (the
# upstream never answers).
N=$(mktemp -d); mkdir -p "$N/logs"
cat > "$N/nginx.conf" <<CONF
worker_processes 1; error_log $N/logs/error.log; pid $N/nginx.pid;
events { worker_connections 64; }
http {
  access_log $N/logs/access.log;
  log_format json escape=json '{"time":"\$time_iso8601","remote_addr":"\$remote_addr","request":"\$request","status":\$status,"upstream_addr":"\$upstream_addr","request_time":\$request_time}';
  access_log $N/logs/access.json json;
  limit_req_zone \$binary_remote_addr zone=one:1m rate=1r/m;
  server {
    listen 127.0.0.1:21443;
    location /orders/ { proxy_pass http://127.0.0.1:$CLOSED; }
    location /ledger/ { proxy_pass http://127.0.0.1:$SILENT; proxy_read_timeout 1s; }
    location /quotes/ { limit_req zone=one; proxy_pass http://127.0.0.1:$CLOSED; }
  }
}
CONF
nginx -c "$N/nginx.conf" -p "$N"
curl -s -o /dev/null -A 'okhttp/4.12.0' "http://127.0.0.1:21443/orders/42"
curl -s -o /dev/null -A 'okhttp/4.12.0' "http://127.0.0.1:21443/ledger/accounts/7/balance"
curl -s -o /dev/null -A 'okhttp/4.12.0' "http://127.0.0.1:21443/ledger/accounts/9/entries?limit=50"
curl -s -o /dev/null -A 'python-requests/2.31.0' "http://127.0.0.1:21443/quotes/1"
curl -s -o /dev/null -A 'python-requests/2.31.0' "http://127.0.0.1:21443/quotes/2"
sleep 0.5; nginx -c "$N/nginx.conf" -p "$N" -s quit; sleep 0.5
cat "$N/logs/access.log" | rec
cat "$N/logs/access.json" | rec
kill $SERVERS 2>/dev/null
echo "wrote $F"
