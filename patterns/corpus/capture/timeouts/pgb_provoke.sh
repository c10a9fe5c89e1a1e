#!/bin/bash
# Provokes PgBouncer 1.18 timeout messages (pgb/pgbouncer.ini, port 56432).
B="psql -h 127.0.0.1 -p 56432 -U postgres -X -q"
$B shop -c "SELECT pg_sleep(3)"
( echo "BEGIN;"; echo "SELECT 1;"; sleep 3; echo "SELECT 2;" ) | $B shop
python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1',56432)); time.sleep(4); s.close()"
PGCONNECT_TIMEOUT=10 $B ledger -c "SELECT 1"
$B shop -c "SELECT 1"
sleep 5
# second phase (after editing pgbouncer.ini: query_timeout = 0, client_idle_timeout = 3, then
# server_idle_timeout = 0, server_lifetime = 2, and SIGHUP): idle transaction, connect timeout,
# server lifetime, and a client that sends a startup packet then closes (client unexpected eof)
( echo "BEGIN;"; echo "SELECT 1;"; sleep 3; echo "SELECT 2;" ) | $B shop
PGCONNECT_TIMEOUT=10 $B ledger -c "SELECT 1"
$B shop -c "SELECT 1"; sleep 4; $B shop -c "SELECT 1"
python3 -c "
import socket,struct
s=socket.create_connection(('127.0.0.1',56432))
p=b'user\x00postgres\x00database\x00shop\x00\x00'; s.send(struct.pack('!ii',len(p)+8,196608)+p); s.recv(4096); s.close()"
