#!/bin/bash
# start/stop own PostgreSQL (55433) and Redis (56380) for the client captures
D=/tmp/tailwatch-capture/clients
case "$1" in
start)
  if [ ! -d $D/pg/data ]; then
    mkdir -p $D/pg && chown postgres:postgres $D/pg
    su postgres -c "/usr/lib/postgresql/15/bin/initdb -D $D/pg/data -U postgres --auth=trust" >/dev/null
    cat >> $D/pg/data/postgresql.conf <<CONF
port = 55433
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D/pg'
max_connections = 40
deadlock_timeout = 200ms
logging_collector = off
CONF
  fi
  su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D/pg/data -l $D/pg/server.log -w start" >/dev/null
  su postgres -c "psql -h 127.0.0.1 -p 55433 -U postgres -tAc \"select 1 from pg_database where datname='cap'\"" | grep -q 1 || \
    su postgres -c "psql -h 127.0.0.1 -p 55433 -U postgres -c 'create database cap'" >/dev/null
  mkdir -p $D/redis
  redis-server --port 56380 --bind 127.0.0.1 --daemonize yes --dir $D/redis --logfile $D/redis/redis.log --pidfile $D/redis/redis.pid --save "" --appendonly no
  ;;
stop)
  su postgres -c "/usr/lib/postgresql/15/bin/pg_ctl -D $D/pg/data -m fast stop" >/dev/null
  [ -f $D/redis/redis.pid ] && kill $(cat $D/redis/redis.pid)
  ;;
esac
