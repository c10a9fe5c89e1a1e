#!/bin/sh
# Apply eventcore-postgres migrations 0001-0003 (jwilger/eventcore@68c38b4) to the local PostgreSQL 15.18
# and append with a stale expected version, as eventcore-postgres does (set_config + INSERT).
P="psql -h /tmp/tailwatch-capture/concurrency -p 55439 -U postgres -d postgres -v ON_ERROR_STOP=0 -q"
$P -c "create database ec" 2>/dev/null
P="psql -h /tmp/tailwatch-capture/concurrency -p 55439 -U postgres -d ec -q"
for f in /tmp/tailwatch-capture/concurrency/eventcore/*.sql; do $P -f $f; done
$P -c "begin; select set_config('eventcore.expected_versions', '{\"account-42\": 0}', true); insert into eventcore_events(event_id, stream_id, event_type, event_data) values (gen_random_uuid(), 'account-42', 'Deposited', '{}'); commit;"
$P -c "begin; select set_config('eventcore.expected_versions', '{\"account-42\": 0}', true); insert into eventcore_events(event_id, stream_id, event_type, event_data) values (gen_random_uuid(), 'account-42', 'Withdrawn', '{}'); commit;"
