#!/bin/bash
# MariaDB 10.11 on 127.0.0.1:13399 in a temp datadir; provoke "Out of sort memory" (tiny
# sort_buffer_size + wide rows) and "Out of memory" (server under `ulimit -v`, huge REPEAT/GROUP_CONCAT).
set -u
OUT="$(cd "$(dirname $0)" && pwd)"
D=$(mktemp -d); chown mysql $D
mariadb-install-db --user=mysql --datadir=$D/data --auth-root-authentication-method=normal >/dev/null 2>&1
su mysql -s /bin/bash -c "ulimit -v ${VLIM:-1500000}; /usr/sbin/mariadbd --no-defaults --datadir=$D/data --socket=$D/s.sock --port=13399 --bind-address=127.0.0.1 --pid-file=$D/m.pid --log-error=$D/err.log --innodb-buffer-pool-size=64M --max-allowed-packet=1G" &
for i in $(seq 1 30); do [ -S $D/s.sock ] && break; sleep 1; done
M="mariadb -S $D/s.sock -u root mysql"
$M -e "CREATE DATABASE t; CREATE TABLE t.w (id INT PRIMARY KEY, a VARCHAR(20000), b TEXT) CHARSET latin1;
INSERT INTO t.w SELECT seq, REPEAT('a', 20000), REPEAT('b', 5000) FROM seq_1_to_50;" 2>&1
$M -e "SET SESSION sort_buffer_size=1024; SELECT id FROM t.w ORDER BY a, b LIMIT 3;" 2>&1
$M -e "SET SESSION sort_buffer_size=32768; SELECT id, LENGTH(a) FROM t.w ORDER BY a DESC, id LIMIT 3;" 2>&1
$M -e "SELECT LENGTH(REPEAT('x', 900000000));" 2>&1
$M -e "SET SESSION group_concat_max_len=4294967295; SELECT LENGTH(GROUP_CONCAT(REPEAT('y', 1000000))) FROM seq_1_to_2000;" 2>&1
$M -e "SHOW VARIABLES LIKE 'sort_buffer_size'; SHOW VARIABLES LIKE 'innodb_buffer_pool_size';" 2>&1
kill $(cat $D/m.pid); sleep 3
cp $D/err.log "$OUT/mariadb_err.log"
rm -rf $D
