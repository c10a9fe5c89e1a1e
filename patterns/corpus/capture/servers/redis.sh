#!/bin/bash
# Capture real Redis 7.0 (Debian 12) server log lines and redis-cli replies.
# Re-runnable: own dir under $BASE; port 36379 on 127.0.0.1; runs as user redis.
set -u
BASE=/tmp/tailwatch-capture/servers/redis
OUT=/tmp/tailwatch-capture/servers/out
PORT=21379
apt-get install -y -q -o DPkg::Lock::Timeout=900 redis-server redis-tools python3 >/dev/null
mkdir -p "$OUT"
if [ -f "$BASE/redis.pid" ]; then kill "$(cat "$BASE/redis.pid")" 2>/dev/null; sleep 2; fi
rm -rf "$BASE"; mkdir -p "$BASE"; chown redis:redis "$BASE"
cat > "$BASE/redis.conf" <<CONF
bind 127.0.0.1
port $PORT
daemonize yes
pidfile $BASE/redis.pid
logfile $BASE/redis.log
loglevel verbose
dir $BASE
save ""
maxmemory 1mb
maxmemory-policy noeviction
maxclients 5
timeout 2
client-output-buffer-limit pubsub 256kb 64kb 10
client-output-buffer-limit normal 512kb 0 0
CONF
chown redis:redis "$BASE/redis.conf"
C="redis-cli --no-raw -p $PORT"   # --no-raw: replies printed as on a terminal, e.g. (error) ...
CL="$OUT/redis-client.txt"; : > "$CL"
start() { runuser -u redis -- bash -c "ulimit -n ${1:-4096}; redis-server $BASE/redis.conf ${2:-}"; for i in $(seq 1 30); do $C ping >/dev/null 2>&1 && return; sleep 0.3; done; }
stop() { $C shutdown save >/dev/null 2>&1 || $C shutdown nosave >/dev/null 2>&1; sleep 1; }
# run 1: low file-descriptor limit -> maxclients warnings at startup
start 64 "--maxclients 10000"
$C CONFIG GET maxclients >>"$CL"
stop
start
# benign config lines: settings changed at runtime
$C CONFIG SET timeout 300 >>"$CL"
$C CONFIG SET maxmemory-policy noeviction >>"$CL"
# 1. output buffer limits: a subscriber that never reads, and a normal client that never reads a big reply
python3 - "$PORT" <<'PY' 2>>"$CL"
import socket, sys, time, subprocess
port = int(sys.argv[1])
sub = socket.create_connection(("127.0.0.1", port))
sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
sub.sendall(b"SUBSCRIBE orders.events\r\n"); time.sleep(0.2)
pub = socket.create_connection(("127.0.0.1", port))
msg = b"x" * 16384
try:
    for i in range(1500):
        pub.sendall(b"*3\r\n$7\r\nPUBLISH\r\n$13\r\norders.events\r\n$%d\r\n%s\r\n" % (len(msg), msg))
        pub.recv(64)
except OSError as e:
    print("publisher:", e, file=sys.stderr)
time.sleep(0.5)
pub.close(); sub.close()
PY
$C FLUSHALL >/dev/null
python3 - "$PORT" <<'PY' 2>>"$CL"
import socket, sys, time
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
v = b"y" * 200000
s.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$%d\r\n%s\r\n" % (len(v), v)); time.sleep(0.2)
s.sendall(b"GET big\r\n" * 40); time.sleep(1.0)
s.close()
PY
$C DEL big >/dev/null
# 2. maxmemory 1mb + noeviction -> OOM command not allowed
for i in $(seq 1 60); do $C SET "stream:order-$i" "$(head -c 20000 /dev/zero | tr '\0' 'e')" ; done >>"$CL" 2>&1
$C RPUSH events:order-42 '{"type":"OrderPlaced"}' >>"$CL" 2>&1
$C INFO memory | grep -E 'used_memory_human|maxmemory_human|maxmemory_policy' >>"$CL"
$C FLUSHALL >/dev/null
# a CONFIG SET maxmemory below current usage logs a warning
for i in $(seq 1 30); do $C SET "snap:$i" "$(head -c 20000 /dev/zero | tr '\0' 's')" >/dev/null; done
$C CONFIG SET maxmemory 2mb >/dev/null
for i in $(seq 31 80); do $C SET "snap:$i" "$(head -c 20000 /dev/zero | tr '\0' 's')" >/dev/null 2>&1; done
$C CONFIG SET maxmemory 1mb >>"$CL" 2>&1
$C FLUSHALL >/dev/null
$C CONFIG SET maxmemory 1mb >/dev/null
# 3. maxclients 5 reached
for i in 1 2 3 4 5; do $C BLPOP never:list 3 >/dev/null 2>&1 & done
sleep 0.8
$C PING >>"$CL" 2>&1
$C SET k v >>"$CL" 2>&1
wait
# 4. idle client closed by 'timeout' (CONFIG SET timeout 1)
$C CONFIG SET timeout 1 >/dev/null
python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"PING\r\n"); s.recv(64); time.sleep(3); s.close()
PY
$C CONFIG SET timeout 300 >/dev/null
# 5. benign: background save
$C BGSAVE >>"$CL"; sleep 1.5
# 6. crash: SIGSEGV writes the bug report
kill -SEGV "$(cat "$BASE/redis.pid")"; sleep 2
start
stop
cp "$BASE/redis.log" "$OUT/redis.log"
redis-server --version > "$OUT/redis.version"
echo "redis capture done"
