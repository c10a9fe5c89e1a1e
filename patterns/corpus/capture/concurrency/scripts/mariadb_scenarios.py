#!/usr/bin/env python3
"""Provoke InnoDB deadlock (1213) and lock wait timeout (1205) on a local MariaDB 10.11.19
(socket /tmp/tailwatch-capture/concurrency/mysqld.sock, innodb_print_all_deadlocks=ON, innodb_lock_wait_timeout=2).
Client exceptions via PyMySQL, logged with Python logging to stdout; server log /tmp/tailwatch-capture/concurrency/mariadb-error.log."""
import threading, time, logging, sys
import pymysql
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("app.ledger")
def conn():
    return pymysql.connect(unix_socket="/tmp/tailwatch-capture/concurrency/mysqld.sock", user="root", database="test", autocommit=True)
c = pymysql.connect(unix_socket="/tmp/tailwatch-capture/concurrency/mysqld.sock", user="root", autocommit=True)
c.cursor().execute("create database if not exists test")
cur = conn().cursor()
cur.execute("drop table if exists acc"); cur.execute("create table acc(id int primary key, bal int) engine=innodb")
cur.execute("insert into acc values (1,100),(2,100)")

def deadlock():
    a, b = conn(), conn()
    ca, cb = a.cursor(), b.cursor()
    ca.execute("begin"); cb.execute("begin")
    ca.execute("update acc set bal=bal-1 where id=1"); cb.execute("update acc set bal=bal-1 where id=2")
    def t():
        try: ca.execute("update acc set bal=bal+1 where id=2"); ca.execute("commit")
        except Exception: log.exception("transfer failed"); ca.execute("rollback")
    th = threading.Thread(target=t); th.start(); time.sleep(0.3)
    try: cb.execute("update acc set bal=bal+1 where id=1"); cb.execute("commit")
    except Exception: log.exception("transfer failed"); cb.execute("rollback")
    th.join()

def lock_wait():
    a, b = conn(), conn()
    ca, cb = a.cursor(), b.cursor()
    ca.execute("begin"); ca.execute("update acc set bal=bal where id=1")
    try: cb.execute("update acc set bal=0 where id=1")
    except Exception: log.exception("update failed")
    ca.execute("rollback")

deadlock(); lock_wait()
