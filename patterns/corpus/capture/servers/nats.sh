#!/bin/bash
# Capture real NATS server 2.9 (Debian 12 package nats-server) log lines: slow consumers, max connections.
# Re-runnable: own dir under $BASE; client port 127.0.0.1:21422, monitoring 21222; runs as user nats.
set -u
BASE=/tmp/tailwatch-capture/servers/nats
OUT=/tmp/tailwatch-capture/servers/out
PORT=21422
apt-get install -y -q -o DPkg::Lock::Timeout=900 nats-server python3 >/dev/null
mkdir -p "$OUT"
[ -f "$BASE/nats.pid" ] && kill "$(cat "$BASE/nats.pid")" 2>/dev/null; sleep 0.5
rm -rf "$BASE"; mkdir -p "$BASE"
cat > "$BASE/nats.conf" <<CONF
listen: 127.0.0.1:$PORT
http: 127.0.0.1:21222
pid_file: "$BASE/nats.pid"
log_file: "$BASE/nats.log"
debug: true
logtime: true
max_connections: 4
max_pending: 256KB
max_payload: 64KB
write_deadline: "500ms"
ping_interval: "2s"
ping_max: 1
CONF
chown -R nats:nats "$BASE"
( runuser -u nats -- nats-server -c "$BASE/nats.conf" >/dev/null 2>&1 & )
for i in $(seq 1 50); do [ -s "$BASE/nats.pid" ] && break; sleep 0.1; done; sleep 0.5
python3 - "$PORT" <<'PY'
import socket, sys, time, threading
port = int(sys.argv[1])
def conn(name, verbose=False):
    s = socket.create_connection(("127.0.0.1", port))
    s.recv(4096)  # INFO
    s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"name":"%s","lang":"python","version":"0"}\r\nPING\r\n' % name.encode())
    return s
# 1. slow consumer: subscriber with a tiny receive buffer that never reads, publisher floods
sub = conn("projection-worker")
sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sub.sendall(b"SUB events.orders.> 1\r\n"); time.sleep(0.3)
pub = conn("order-service")
payload = b"e" * 8192
for i in range(3000):
    pub.sendall(b"PUB events.orders.%d %d\r\n%s\r\n" % (i % 10, len(payload), payload))
time.sleep(1.5)
try: sub.close()
except OSError: pass
# 2. a second slow consumer on another subject, queue group
sub2 = conn("read-model-builder")
sub2.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sub2.sendall(b"SUB events.payments.* builders 2\r\n"); time.sleep(0.3)
for i in range(3000):
    pub.sendall(b"PUB events.payments.captured %d\r\n%s\r\n" % (len(payload), payload))
time.sleep(1.5)
pub.sendall(b"PING\r\n"); time.sleep(0.2)
pub.close(); sub2.close()
time.sleep(0.5)
# 3. max_connections: 4 reached
held = [conn("worker-%d" % i) for i in range(4)]
time.sleep(0.3)
extra = socket.create_connection(("127.0.0.1", port))
try:
    print("extra:", extra.recv(4096)[:200], file=sys.stderr)
except OSError as e:
    print("extra:", e, file=sys.stderr)
extra.close()
for s in held: s.close()
time.sleep(0.3)
# 4. stale connection: a client that never answers PINGs (ping_interval 2s, ping_max 1)
st = conn("stuck-client")
time.sleep(6.5)
st.close()
# 5. normal close
ok = conn("healthy-client"); ok.sendall(b"SUB x 1\r\nUNSUB 1\r\nPING\r\n"); time.sleep(0.2); ok.close()
PY
sleep 0.5
# 6. reload with a long write_deadline, flood again (tries for MaxPending; on 2.9.10 the server stalls the
#    fast producer instead, so this run yields the "Reloaded: write_deadline" lines and producer-stall DBG lines)
sed -i 's/^write_deadline: .*/write_deadline: "20s"/' "$BASE/nats.conf"
kill -HUP "$(cat "$BASE/nats.pid")"; sleep 0.5
python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def conn(name):
    s = socket.create_connection(("127.0.0.1", port)); s.recv(4096)
    s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"name":"%s","lang":"python","version":"0"}\r\nPING\r\n' % name.encode()); return s
sub = conn("catchup-subscriber"); sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sub.sendall(b"SUB events.> 1\r\n"); time.sleep(0.3)
pub = conn("event-store-publisher"); payload = b"p" * 16384
try:
    for i in range(4000):
        pub.sendall(b"PUB events.stream.%d %d\r\n%s\r\n" % (i % 5, len(payload), payload))
except OSError as e:
    print("publisher:", e, file=sys.stderr)
time.sleep(1)
pub.sendall(b"PING\r\n"); time.sleep(0.2); pub.close(); sub.close()
PY
sleep 0.5
kill -INT "$(cat "$BASE/nats.pid")"; sleep 1
cp "$BASE/nats.log" "$OUT/nats.log"; chmod 644 "$OUT/nats.log"
nats-server --version > "$OUT/nats.version"
echo "nats capture done"
