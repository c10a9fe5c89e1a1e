#!/bin/bash
# Runs pino_oom.js: ArrayBuffer case under a 3000000 KiB address-space limit; Redis case against a
# Redis 7.0 on 127.0.0.1:16399 filled to maxmemory 2mb (noeviction).
cd "$(dirname $0)"
( ulimit -v 3000000; node pino_oom.js abuf > pino_abuf.out 2>&1 )
D=$(mktemp -d)
redis-server --port 16399 --bind 127.0.0.1 --dir $D --save '' --appendonly no --maxmemory 2mb --maxmemory-policy noeviction --daemonize yes --pidfile $D/r.pid --logfile $D/r.log
sleep 1
for i in $(seq 1 300); do redis-cli -p 16399 SET key:$i "$(head -c 8000 /dev/zero | tr '\0' x)" >/dev/null; done
node pino_oom.js redis > pino_redis.out 2>&1
redis-cli -p 16399 SHUTDOWN NOSAVE; sleep 1; rm -rf $D
