#!/bin/bash
# Redis 7.0 on 127.0.0.1:16399 with maxmemory 2mb/noeviction, filled until writes are refused.
cd "$(dirname $0)"
D=$(mktemp -d)
redis-server --port 16399 --bind 127.0.0.1 --dir $D --save '' --appendonly no --maxmemory 2mb --maxmemory-policy noeviction --logfile $PWD/redis_server.log --daemonize yes --pidfile $D/r.pid
sleep 1
for i in $(seq 1 400); do redis-cli -p 16399 SET key:$i "$(head -c 8000 /dev/zero | tr '\0' x)" ; done 2>&1 | sort | uniq -c > redis_cli.out
redis-cli -p 16399 INFO memory | grep -E 'used_memory_human|maxmemory_human|maxmemory_policy' >> redis_cli.out
PYTHONPATH=./pylib python3 redis_py_oom.py > redis_py.out 2>&1
redis-cli -p 16399 CONFIG SET maxmemory 100mb >> redis_cli.out
redis-cli -p 16399 SHUTDOWN NOSAVE
sleep 1; rm -rf $D
