#!/bin/bash
# Provokes MariaDB 10.11 timeout messages on the scratch server (socket my/sock).
M="mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uroot"
$M -e "CREATE DATABASE IF NOT EXISTS shop; CREATE USER IF NOT EXISTS 'app'@'localhost'; GRANT ALL ON shop.* TO 'app'@'localhost'"
$M -e "SET SESSION max_statement_time=0.5; SELECT SLEEP(2), 'x' FROM DUAL WHERE 1" shop
$M -e "SET SESSION max_statement_time=0.3; SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c" shop
$M -e "SELECT /*+ MAX_EXECUTION_TIME(100) */ SLEEP(1)" shop
$M -e "SET STATEMENT max_statement_time=0.2 FOR SELECT BENCHMARK(100000000, MD5('x'))" shop
# wait_timeout disconnect
( echo "SET SESSION wait_timeout=1;"; sleep 3; echo "SELECT 1;" ) | mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uapp shop
( echo "SET SESSION wait_timeout=1;"; sleep 3; echo "SELECT 1;" ) | mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uroot shop
# benign: show variables
$M -e "SHOW VARIABLES LIKE '%timeout%'" | head -40
# benign trap: a TCP client that connects and closes before authenticating
python3 -c "import socket; s=socket.create_connection(('127.0.0.1',53306)); s.recv(1024); s.close()"
# normal client quit (log_warnings=4 logs nothing for a clean COM_QUIT)
$M -e "SELECT 1" shop >/dev/null
# benign: general log of a session setting its own timeouts
mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uroot -e "SET GLOBAL general_log_file='/tmp/tailwatch-capture/timeouts/my/general.log'; SET GLOBAL general_log=1"
mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uapp shop -e "SET SESSION max_statement_time=30; SET SESSION wait_timeout=600; SELECT 1"
mariadb -S /tmp/tailwatch-capture/timeouts/my/sock -uroot -e "SET GLOBAL general_log=0"
