#!/bin/sh
# nginx 1.22 (Debian 12, nginx-light) in front of a unix socket whose listen
# queue is full: the socket is bound with a backlog of 1 and never accepts,
# so concurrent requests find it full and nginx logs EAGAIN ("11: Resource
# temporarily unavailable"), as it does when every PHP-FPM worker is busy.
# Writes the error log to nginx_backlog/error.log.
set -eu
out=$(dirname "$0")/nginx_backlog
work=$(mktemp -d)
mkdir -p "$out"
python3 - "$work/app.sock" <<'PY' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.listen(1)
time.sleep(20)
PY
sleep 1
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
error_log $work/error.log error;
pid $work/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  server {
    listen 127.0.0.1:21480;
    location / { fastcgi_pass unix:$work/app.sock; include /etc/nginx/fastcgi_params; fastcgi_connect_timeout 1s; }
    location /p { proxy_pass http://unix:$work/app.sock:/; proxy_connect_timeout 1s; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
for i in 1 2 3 4 5 6 7 8; do
  curl -s -o /dev/null "http://127.0.0.1:21480/checkout?i=$i" &
  curl -s -o /dev/null "http://127.0.0.1:21480/p/orders/$i" &
done
wait
nginx -c "$work/nginx.conf" -p "$work" -s stop
cp "$work/error.log" "$out/error.log"
