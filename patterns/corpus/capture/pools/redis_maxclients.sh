#!/bin/bash
# Redis 7 with maxclients 2 on 127.0.0.1:56781: a third client is refused.
set -u
R=/tmp/tailwatch-capture/pools/redis; rm -rf $R; mkdir -p $R
redis-server --port 56781 --bind 127.0.0.1 --maxclients 2 --dir $R --logfile $R/redis.log --daemonize yes --save "" --appendonly no
sleep 0.5
(sleep 4 | redis-cli -p 56781 -h 127.0.0.1 >/dev/null 2>&1 &)
(sleep 4 | redis-cli -p 56781 -h 127.0.0.1 >/dev/null 2>&1 &)
sleep 1
redis-cli -p 56781 -h 127.0.0.1 ping > redis-client.out 2>&1
python3 - >> redis-client.out 2>&1 <<'PY'
import socket
s=socket.create_connection(("127.0.0.1",56781)); s.sendall(b"PING\r\n"); print(repr(s.recv(200)))
PY
sleep 4
redis-cli -p 56781 -h 127.0.0.1 info clients | grep -E "connected_clients|maxclients" >> redis-client.out
redis-cli -p 56781 -h 127.0.0.1 info stats | grep rejected >> redis-client.out
redis-cli -p 56781 -h 127.0.0.1 shutdown nosave
cp $R/redis.log redis.log
