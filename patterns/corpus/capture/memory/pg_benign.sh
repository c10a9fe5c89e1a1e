#!/bin/bash
# PostgreSQL 15 on 127.0.0.1:15498: routine memory-setting lines (a reload that changes work_mem etc.).
set -u
OUT="$(cd "$(dirname $0)" && pwd)"
D=$(mktemp -d); chown postgres $D
B=/usr/lib/postgresql/15/bin
su postgres -c "$B/initdb -D $D/data -A trust >/dev/null"
cat >> $D/data/postgresql.conf <<CONF
port = 15498
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D'
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$D/log'
log_filename = 'pg.log'
log_line_prefix = '%m [%p] '
log_temp_files = 0
CONF
su postgres -c "$B/pg_ctl -D $D/data -w start >/dev/null"
# a sort that spills past a small work_mem: a routine temporary-file line
psql -h 127.0.0.1 -p 15498 -U postgres -X -q -c "SET work_mem='64kB'; SELECT count(*) FROM (SELECT g FROM generate_series(1,200000) g ORDER BY g DESC) s;" >/dev/null
cat >> $D/data/postgresql.conf <<CONF
work_mem = '64MB'
maintenance_work_mem = '512MB'
shared_buffers = '256MB'
CONF
su postgres -c "$B/pg_ctl -D $D/data reload >/dev/null"; sleep 1
su postgres -c "$B/pg_ctl -D $D/data -w stop >/dev/null"
cp $D/log/pg.log "$OUT/pg_benign.log"; cp $D/log/pg.json "$OUT/pg_benign.json"
rm -rf $D
