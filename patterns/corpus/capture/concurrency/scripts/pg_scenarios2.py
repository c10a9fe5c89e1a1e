#!/usr/bin/env python3
"""Second round against the PostgreSQL 15.18 of pg_scenarios.py: reload deadlock_timeout to 10ms,
a short lock wait that is granted (acquired ... after N ms), a 3-way deadlock, then restore 1s."""
import threading, time, sys, logging
sys.path.insert(0, "/tmp/tailwatch-capture/concurrency/scripts")
from pg_scenarios import conn, log, run

def set_timeout(v):
    c = conn(); c.execute(f"alter system set deadlock_timeout = '{v}'"); c.execute("select pg_reload_conf()"); c.close(); time.sleep(0.5)

def short_wait():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("update orders set status='paid' where id=1")
    def t():
        time.sleep(0.06); a.execute("commit")
    th = threading.Thread(target=t); th.start()
    b.execute("update orders set status='shipped' where id=1")
    th.join(); a.close(); b.close()

def three_way():
    cs = [conn() for _ in range(3)]
    for c in cs: c.execute("begin")
    c0 = conn(); c0.execute("insert into acc values (3,100) on conflict do nothing"); c0.close()
    for i, c in enumerate(cs): c.execute(f"update acc set bal=bal where id={i+1}")
    def w(i):
        try: cs[i].execute(f"update acc set bal=bal where id={(i+1)%3+1}"); cs[i].execute("commit")
        except Exception: log.exception("batch failed"); cs[i].execute("rollback")
    ths = []
    for i in range(3):
        t = threading.Thread(target=w, args=(i,)); t.start(); ths.append(t); time.sleep(0.7)
    for t in ths: t.join()

if __name__ == "__main__":
    set_timeout("10ms")
    run("short_wait", short_wait)
    set_timeout("1s")
    run("three_way", three_way)
