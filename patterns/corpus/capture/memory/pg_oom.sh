#!/bin/bash
# PostgreSQL 15 on 127.0.0.1:15499, postmaster under `ulimit -v 600000` (KiB), made to run out of
# memory by big hash aggregates / array_agg with a large work_mem; logs stderr + jsonlog.
set -u
OUT="$(cd "$(dirname $0)" && pwd)"
D=$(mktemp -d); chown postgres $D
B=/usr/lib/postgresql/15/bin
su postgres -c "$B/initdb -D $D/data -A trust >/dev/null"
cat >> $D/data/postgresql.conf <<CONF
port = 15499
listen_addresses = '127.0.0.1'
unix_socket_directories = '$D'
shared_buffers = 16MB
logging_collector = on
log_destination = 'stderr,jsonlog'
log_directory = '$D/log'
log_filename = 'pg.log'
log_line_prefix = '%m [%p] '
CONF
su postgres -c "ulimit -v 600000; $B/pg_ctl -D $D/data -w start >/dev/null"
P="psql -h 127.0.0.1 -p 15499 -U postgres -X -q"
$P -c "SET work_mem='4GB'; SELECT count(*) FROM (SELECT g, count(*) FROM generate_series(1,30000000) g GROUP BY g) s;" 2>&1
$P -c "SELECT array_length(array_agg(g::text || repeat('x', 40)), 1) FROM generate_series(1,20000000) g;" 2>&1
$P -c "SET work_mem='4GB'; SELECT count(*) FROM (SELECT DISTINCT md5(g::text) FROM generate_series(1,20000000) g) s;" 2>&1
$P -c "SHOW work_mem; SHOW shared_buffers; SHOW maintenance_work_mem;" 2>&1
su postgres -c "$B/pg_ctl -D $D/data -w stop >/dev/null"
cp $D/log/pg.log "$OUT/pg_oom.log"; cp $D/log/pg.json "$OUT/pg_oom.json"
rm -rf $D
