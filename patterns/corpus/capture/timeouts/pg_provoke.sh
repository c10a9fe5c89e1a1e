#!/bin/bash
# Provokes PostgreSQL 15 timeout messages on the scratch cluster (port 55471).
P="psql -h /tmp/tailwatch-capture/timeouts/pg -p 55471 -U postgres -X -q"
$P -c "ALTER SYSTEM SET log_disconnections = on" -c "ALTER SYSTEM SET log_connections = on" -c "SELECT pg_reload_conf()"
sleep 1
$P -c "CREATE TABLE IF NOT EXISTS orders(id int primary key, total numeric)" 
# 1. statement timeout
$P -c "SET statement_timeout = '200ms'" -c "SELECT pg_sleep(2)"
PGOPTIONS="-c statement_timeout=150" $P -c "SELECT count(*) FROM generate_series(1,100000000)"
# 2. user request cancel
( $P -c "SELECT pg_sleep(5) /* report */" ) &
sleep 1
$P -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%' AND pid <> pg_backend_pid()"
wait
# 3. idle in transaction timeout
( echo "SET idle_in_transaction_session_timeout = '300ms';"; echo "BEGIN;"; echo "SELECT 1;"; sleep 2; echo "SELECT 2;" ) | $P
# 4. idle session timeout
( echo "SET idle_session_timeout = '300ms';"; sleep 2; echo "SELECT 3;" ) | $P
# 5. benign: settings
$P -c "ALTER SYSTEM SET statement_timeout = '30s'" -c "ALTER SYSTEM SET lock_timeout = '5s'" -c "ALTER SYSTEM SET idle_in_transaction_session_timeout = '60s'" -c "SELECT pg_reload_conf()"
sleep 1
$P -c "ALTER SYSTEM RESET statement_timeout" -c "ALTER SYSTEM RESET lock_timeout" -c "ALTER SYSTEM RESET idle_in_transaction_session_timeout" -c "SELECT pg_reload_conf()"
sleep 1
# benign: more parameter changes, and pg_dump's own timeout resets (log_statement=all)
$P -c "ALTER SYSTEM SET idle_session_timeout = '10min'" -c "ALTER SYSTEM SET statement_timeout = '15s'" -c "SELECT pg_reload_conf()"
sleep 1
$P -c "ALTER SYSTEM RESET idle_session_timeout" -c "ALTER SYSTEM RESET statement_timeout" -c "SELECT pg_reload_conf()"
PGOPTIONS="-c log_statement=all" pg_dump -h /tmp/tailwatch-capture/timeouts/pg -p 55471 -U postgres -t orders postgres > /dev/null
