#!/bin/bash
# Capture real nginx 1.22 (Debian 12) error-log lines: slow upstream, dead upstreams, too few worker_connections.
# Re-runnable: own prefix under $BASE; nginx on 127.0.0.1:21080, run as www-data (unprivileged master).
set -u
BASE=/tmp/tailwatch-capture/servers/nginx
OUT=/tmp/tailwatch-capture/servers/out
PORT=21080; SLOW=21081; DEAD1=21082; DEAD2=21083; CLOSER=21084
apt-get install -y -q -o DPkg::Lock::Timeout=900 nginx-light python3 curl >/dev/null
mkdir -p "$OUT"
for f in nginx.pid slow.pid closer.pid; do [ -f "$BASE/$f" ] && kill "$(cat "$BASE/$f")" 2>/dev/null; done; sleep 0.5
rm -rf "$BASE"; mkdir -p "$BASE/logs" "$BASE/tmp"
# a slow upstream: answers after 3 s; and one that closes without answering
cat > "$BASE/slow.py" <<'PY'
import http.server, socketserver, sys, time, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if sys.argv[2] == "close":
            self.close_connection = True; return
        time.sleep(3)
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers(); self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True; allow_reuse_address = True
open(sys.argv[3], "w").write(str(os.getpid()))
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
( python3 "$BASE/slow.py" $SLOW sleep "$BASE/slow.pid" >/dev/null 2>&1 & )
( python3 "$BASE/slow.py" $CLOSER close "$BASE/closer.pid" >/dev/null 2>&1 & )
for i in $(seq 1 50); do [ -s "$BASE/slow.pid" ] && [ -s "$BASE/closer.pid" ] && break; sleep 0.1; done; sleep 0.3
cat > "$BASE/nginx.conf" <<CONF
user www-data;
worker_processes 1;
pid $BASE/nginx.pid;
error_log $BASE/logs/error.log info;
events { worker_connections 16; }
http {
    access_log $BASE/logs/access.log;
    client_body_temp_path $BASE/tmp/body; proxy_temp_path $BASE/tmp/proxy;
    fastcgi_temp_path $BASE/tmp/fcgi; uwsgi_temp_path $BASE/tmp/uwsgi; scgi_temp_path $BASE/tmp/scgi;
    keepalive_timeout 2s;
    client_header_timeout 2s;
    upstream slow_backend { server 127.0.0.1:$SLOW; }
    upstream dead_backend { server 127.0.0.1:$DEAD1 max_fails=1 fail_timeout=30s; server 127.0.0.1:$DEAD2 max_fails=1 fail_timeout=30s; }
    upstream single_dead { server 127.0.0.1:$DEAD1; }
    upstream closer_backend { server 127.0.0.1:$CLOSER; }
    server {
        listen 127.0.0.1:$PORT;
        location /api/ { proxy_pass http://slow_backend; proxy_read_timeout 1s; proxy_connect_timeout 1s; }
        location /slow-ok/ { proxy_pass http://slow_backend; proxy_read_timeout 10s; }
        location /events/ { proxy_pass http://dead_backend; }
        location /projections/ { proxy_pass http://single_dead; }
        location /closer/ { proxy_pass http://closer_backend; }
        location / { return 200 "ok\n"; }
    }
}
CONF
chown -R www-data:www-data "$BASE"
runuser -u www-data -- nginx -p "$BASE" -c "$BASE/nginx.conf" -e "$BASE/logs/error.log"
sleep 0.5
U=http://127.0.0.1:$PORT
CL="$OUT/nginx-client.txt"; : > "$CL"
# 1. slow upstream: read timeout -> 504
for i in 1 2; do curl -s -o /dev/null -w "%{http_code} /api/orders/$i\n" "$U/api/orders/$i" >>"$CL"; done
# 2. dead upstreams: connection refused, then no live upstreams (both marked failed)
for p in /events/stream/order-42 /events/stream/order-43 /events/stream/order-44 /projections/status; do curl -s -o /dev/null -w "%{http_code} $p\n" "$U$p" >>"$CL"; done
# 3. upstream closes without a response
curl -s -o /dev/null -w "%{http_code} /closer/x\n" "$U/closer/x" >>"$CL"
# 4. worker_connections (16) not enough: many concurrent slow requests
for i in $(seq 1 24); do curl -s -o /dev/null -m 8 -w "%{http_code} /slow-ok/$i\n" "$U/slow-ok/$i" >>"$CL" & done
wait
# 5. benign info lines: client keepalive close / client idle timeout / client closes early
python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(3); s.close()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"); s.recv(512); time.sleep(3); s.close()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"GET /slow-ok/abort HTTP/1.1\r\nHost: x\r\n\r\n"); time.sleep(0.5); s.close()
PY
sleep 3
# 6. reload, then a worker killed by SIGSEGV (master respawns it)
kill -HUP "$(cat "$BASE/nginx.pid")"; sleep 1
WORKER=$(pgrep -P "$(cat "$BASE/nginx.pid")" | head -1); [ -n "$WORKER" ] && kill -SEGV "$WORKER"; sleep 1
curl -s -o /dev/null "$U/" 
# stop gracefully
kill -QUIT "$(cat "$BASE/nginx.pid")"; sleep 1
kill "$(cat "$BASE/slow.pid")" "$(cat "$BASE/closer.pid")" 2>/dev/null
cp "$BASE/logs/error.log" "$OUT/nginx.log"
nginx -v 2> "$OUT/nginx.version"
echo "nginx capture done"
