#!/bin/bash
# MariaDB 10.11 on 127.0.0.1:33777 with max_connections=3 and a user limited to 1 connection.
set -u
M=/tmp/tailwatch-capture/pools/mariadb; rm -rf $M; mkdir -p $M/data; chown -R mysql $M
mariadb-install-db --user=mysql --datadir=$M/data --auth-root-authentication-method=normal >/dev/null 2>&1
mariadbd --user=mysql --datadir=$M/data --port=33777 --bind-address=127.0.0.1 --socket=$M/sock \
  --pid-file=$M/pid --log-error=$M/error.log --max-connections=10 --extra-max-connections=0 --log-warnings=4 --max-user-connections=2 2>> /tmp/tailwatch-capture/pools/maria-stderr.log &
sleep 4
C="mariadb -h127.0.0.1 -P33777 -uroot"
$C -e "DROP USER IF EXISTS ''@'localhost'; DROP USER IF EXISTS ''@'$(hostname)'; CREATE USER 'app'@'%' WITH MAX_USER_CONNECTIONS 1; CREATE USER 'app3'@'%'; GRANT USAGE ON *.* TO 'app3'@'%' WITH MAX_CONNECTIONS_PER_HOUR 1; SHOW VARIABLES LIKE 'max_connections';" 2>&1 | tee -a maria-client.out
(mariadb -h127.0.0.1 -P33777 -uapp -e "SELECT SLEEP(4)" >/dev/null 2>&1 &); sleep 1
mariadb -h127.0.0.1 -P33777 -uapp -e "SELECT 1" >> maria-client.out 2>&1
mariadb -h127.0.0.1 -P33777 -uapp3 -e "SELECT 1" >/dev/null 2>&1
mariadb -h127.0.0.1 -P33777 -uapp3 -e "SELECT 1" >> maria-client.out 2>&1
sleep 4
for i in 1 2 3 4 5 6 7 8 9 10; do ($C -e "SELECT SLEEP(4)" >/dev/null 2>&1 &); done; sleep 1
$C -e "SELECT 1" >> maria-client.out 2>&1
mariadb -h127.0.0.1 -P33777 -uapp -e "SELECT 1" >> maria-client.out 2>&1
sleep 4
$C -e "CREATE USER 'app4'@'%'"
for i in 1 2; do (mariadb -h127.0.0.1 -P33777 -uapp4 -e "SELECT SLEEP(3)" >/dev/null 2>&1 &); done; sleep 1
mariadb -h127.0.0.1 -P33777 -uapp4 -e "SELECT 1" >> maria-client.out 2>&1
sleep 3
mariadb-admin -h127.0.0.1 -P33777 -uroot shutdown
sleep 2; cp $M/error.log maria-error.log
