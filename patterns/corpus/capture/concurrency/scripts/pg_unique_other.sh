#!/bin/sh
# PostgreSQL 15.18: a unique violation on an unrelated (non-version) index, for no_match examples.
psql -h /tmp/tailwatch-capture/concurrency -p 55439 -U postgres -d postgres -q <<'SQL'
drop table if exists users;
create table users(id serial primary key, email text unique);
insert into users(email) values ('a@example.com');
insert into users(email) values ('a@example.com');
SQL
