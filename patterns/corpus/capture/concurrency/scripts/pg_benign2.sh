#!/bin/sh
# More benign PostgreSQL 15.18 lines (log_statement=all for the session): a queue worker claiming with
# SKIP LOCKED and an advisory lock taken and released.
psql -h /tmp/tailwatch-capture/concurrency -p 55439 -U postgres -d postgres -q <<'SQL'
set log_statement = 'all';
select pg_advisory_lock(4242);
select id from orders where status = 'new' order by id limit 10 for update skip locked;
select pg_advisory_unlock(4242);
SQL
