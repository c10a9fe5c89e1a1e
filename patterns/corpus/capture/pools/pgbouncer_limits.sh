#!/bin/bash
# Provoke PgBouncer 1.18 pool limits (reserve_pool, query_wait_timeout, max_client_conn)
# in front of the PostgreSQL 15 cluster from pg_limits.sh; everything on 127.0.0.1.
set -u
D=/tmp/tailwatch-capture/pools/pgdata; PORT=55611; BP=56777; B=/tmp/tailwatch-capture/pools/pgb
rm -rf $B; mkdir -p $B; chown postgres $B
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D -l $D/server2.log -w start" >/dev/null
cat > $B/pgbouncer.ini <<INI
[databases]
orders = host=127.0.0.1 port=$PORT dbname=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BP
unix_socket_dir =
auth_type = trust
auth_file = $B/users.txt
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
pool_mode = transaction
max_client_conn = 3
default_pool_size = 1
reserve_pool_size = 1
reserve_pool_timeout = 1
query_wait_timeout = 3
INI
echo '"app2" ""' > $B/users.txt; chown -R postgres $B
su postgres -c "pgbouncer -d $B/pgbouncer.ini"; sleep 1
Q="psql -h 127.0.0.1 -p $BP -U app2 -d orders -X -q"
for i in 1 2; do ($Q -c "select pg_sleep(8)" >/dev/null 2>&1 &); done; sleep 0.3
($Q -c "select 1" >> pgb-client.out 2>&1 &); sleep 0.3
for i in 1 2 3; do ($Q -c "select 1" >>pgb-client.out 2>&1 &); done; sleep 4
sleep 9
$Q -c "select 1" >/dev/null 2>&1
kill $(cat $B/pgbouncer.pid); sleep 1
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D -m fast stop" >/dev/null
cp $B/pgbouncer.log pgbouncer.log
