#!/bin/bash
# Provoke PostgreSQL 15 connection-limit errors (53300) on a private cluster on 127.0.0.1:55611.
set -u
D=/tmp/tailwatch-capture/pools/pgdata; PORT=55611
rm -rf $D; mkdir -p $D; chown postgres $D
su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $D -A trust -U postgres" >/dev/null
cat >> $D/postgresql.conf <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D'
max_connections = 6
superuser_reserved_connections = 2
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = 'log'
log_filename = 'pg'
log_line_prefix = '%m [%p] '
log_connections = on
log_disconnections = on
CONF
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D -l $D/server.log -w start" >/dev/null
P="psql -h 127.0.0.1 -p $PORT -U postgres -X -q"
$P -c "create role app login connection limit 2" -c "create database orders" -c "alter database orders connection limit 3" -c "create role app2 login"
# role limit: 3 sessions of app
for i in 1 2; do (psql -h 127.0.0.1 -p $PORT -U app -d postgres -X -q -c "select pg_sleep(6)" >/dev/null 2>&1 &) ; done; sleep 1
psql -h 127.0.0.1 -p $PORT -U app -d postgres -X -q -c "select 1" 2>&1 | tee -a pg-client.out
sleep 6
# database limit
for i in 1 2 3; do (psql -h 127.0.0.1 -p $PORT -U app2 -d orders -X -q -c "select pg_sleep(6)" >/dev/null 2>&1 &) ; done; sleep 1
psql -h 127.0.0.1 -p $PORT -U app2 -d orders -X -q -c "select 1" 2>&1 | tee -a pg-client.out
sleep 6
# reserved slots then too many clients
for i in 1 2 3 4; do (psql -h 127.0.0.1 -p $PORT -U app2 -d postgres -X -q -c "select pg_sleep(8)" >/dev/null 2>&1 &) ; done; sleep 1
psql -h 127.0.0.1 -p $PORT -U app2 -d postgres -X -q -c "select 1" 2>&1 | tee -a pg-client.out
for i in 1 2; do (psql -h 127.0.0.1 -p $PORT -U postgres -d postgres -X -q -c "select pg_sleep(6)" >/dev/null 2>&1 &) ; done; sleep 1
psql -h 127.0.0.1 -p $PORT -U postgres -d postgres -X -q -c "select 1" 2>&1 | tee -a pg-client.out
sed -i "s/^max_connections = 6/max_connections = 8/" $D/postgresql.conf; su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D reload" >/dev/null; sleep 1
$P -c "show max_connections" -c "show superuser_reserved_connections" 2>&1 | tee -a pg-client.out
sleep 8
su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D -m fast stop" >/dev/null
cp $D/log/pg server.log; cp $D/log/pg.json server.json
