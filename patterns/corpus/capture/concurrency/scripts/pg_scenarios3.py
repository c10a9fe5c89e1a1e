#!/usr/bin/env python3
"""Third round (PostgreSQL 15.18, log_lock_waits=on): the soft-deadlock permutation of PostgreSQL's
isolation spec deadlock-soft.spec (gives "avoided deadlock ... by rearranging queue order"),
VACUUM (SKIP_LOCKED) on a locked table, and reloads of lock_timeout / log_lock_waits settings."""
import threading, time, sys
sys.path.insert(0, "/tmp/tailwatch-capture/concurrency/scripts")
from pg_scenarios import conn, log, run

def soft_deadlock():
    c = conn(); c.execute("drop table if exists a1, a2"); c.execute("create table a1 ()"); c.execute("create table a2 ()"); c.close()
    d1, d2, e1, e2 = conn(), conn(), conn(), conn()
    d1.execute("begin"); d1.execute("set deadlock_timeout = '10s'")
    d2.execute("begin"); d2.execute("set deadlock_timeout = '10ms'")
    e1.execute("begin"); e1.execute("set deadlock_timeout = '10s'")
    e2.execute("begin"); e2.execute("set deadlock_timeout = '10s'")
    d1.execute("lock table a1 in access share mode")
    d2.execute("lock table a2 in access share mode")
    ts = []
    def bg(c, sql):
        t = threading.Thread(target=lambda: c.execute(sql)); t.start(); ts.append(t); time.sleep(0.3)
    bg(e1, "lock table a1 in access exclusive mode")
    bg(e2, "lock table a2 in access exclusive mode")
    bg(d1, "lock table a2 in access share mode")
    bg(d2, "lock table a1 in access share mode")
    time.sleep(0.5)
    d1.execute("commit"); time.sleep(0.2); e1.execute("commit"); time.sleep(0.2); d2.execute("commit"); time.sleep(0.2); e2.execute("commit")
    for t in ts: t.join()

def vacuum_skip():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("lock table orders in access exclusive mode")
    b.execute("vacuum (skip_locked) orders")
    a.execute("rollback")

def settings():
    c = conn()
    for k, v in (("lock_timeout", "5s"), ("log_lock_waits", "off"), ("log_lock_waits", "on"), ("lock_timeout", "0")):
        c.execute(f"alter system set {k} = '{v}'"); c.execute("select pg_reload_conf()"); time.sleep(0.4)
    c.close()

if __name__ == "__main__":
    for f in (soft_deadlock, vacuum_skip, settings): run(f.__name__, f)
