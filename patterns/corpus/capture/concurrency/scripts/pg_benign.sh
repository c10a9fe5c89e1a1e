#!/bin/sh
# Benign PostgreSQL 15.18 lines: statements that name lock/serialization settings, logged with log_statement=all.
psql -h /tmp/tailwatch-capture/concurrency -p 55439 -U postgres -d postgres -q <<'SQL'
set log_statement = 'all';
set deadlock_timeout = '200ms';
set lock_timeout = '2s';
begin isolation level serializable;
select sum(bal) from acc;
commit;
begin;
set transaction isolation level repeatable read;
select * from orders where id = 1;
commit;
SQL
