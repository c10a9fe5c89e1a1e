#!/usr/bin/env python3
"""Provoke lock/concurrency errors in a local PostgreSQL 15.18 (socket /tmp/tailwatch-capture/concurrency, port 55439).
Server log: /tmp/tailwatch-capture/concurrency/pglog/pg.log (stderr) and pg.json (jsonlog), log_lock_waits=on.
Client-side exceptions are printed as Python logging tracebacks to stdout."""
import threading, time, logging, sys, traceback
import psycopg
DSN = "host=/tmp/tailwatch-capture/concurrency port=55439 user=postgres dbname=postgres"
log = logging.getLogger("app.repo")
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)s [%(name)s] %(message)s")

def conn(**kw):
    c = psycopg.connect(DSN, autocommit=True, **kw)
    c.execute("set application_name = 'capture'")
    return c

def setup():
    c = conn()
    c.execute("drop table if exists acc, events, orders")
    c.execute("create table acc(id int primary key, bal int)")
    c.execute("insert into acc values (1,100),(2,100)")
    c.execute("create table events(id bigserial primary key, stream_id text not null, version int not null, type text, data jsonb, unique(stream_id, version))")
    c.execute("insert into events(stream_id, version, type, data) values ('order-42', 1, 'OrderPlaced', '{}')")
    c.execute("create table orders(id int primary key, status text, version int not null default 0)")
    c.execute("insert into orders values (1,'new',0)")
    c.close()

def run(name, fn):
    try:
        fn()
    except Exception:
        log.exception("%s failed", name)

def deadlock():
    a, b = conn(), conn()
    a.execute("begin"); b.execute("begin")
    a.execute("update acc set bal=bal-1 where id=1")
    b.execute("update acc set bal=bal-1 where id=2")
    errs = []
    def t1():
        try: a.execute("update acc set bal=bal+1 where id=2"); a.execute("commit")
        except Exception as e: errs.append(e); log.exception("transfer failed"); a.execute("rollback")
    th = threading.Thread(target=t1); th.start()
    time.sleep(0.3)
    try: b.execute("update acc set bal=bal+1 where id=1"); b.execute("commit")
    except Exception as e: log.exception("transfer failed"); b.execute("rollback")
    th.join(); a.close(); b.close()

def serialization_update():
    a, b = conn(), conn()
    a.execute("begin isolation level repeatable read"); b.execute("begin isolation level repeatable read")
    a.execute("select * from acc"); b.execute("select * from acc")
    a.execute("update acc set bal=bal+5 where id=1")
    def t():
        time.sleep(0.2); a.execute("commit")
    th = threading.Thread(target=t); th.start()
    try: b.execute("update acc set bal=bal+7 where id=1")
    except Exception: log.exception("deposit failed"); b.execute("rollback")
    th.join(); a.close(); b.close()

def serialization_ssi():
    a, b = conn(), conn()
    a.execute("begin isolation level serializable"); b.execute("begin isolation level serializable")
    a.execute("select sum(bal) from acc"); b.execute("select sum(bal) from acc")
    a.execute("update acc set bal=bal-10 where id=1")
    b.execute("update acc set bal=bal-10 where id=2")
    a.execute("commit")
    try: b.execute("commit")
    except Exception: log.exception("withdraw failed")
    a.close(); b.close()

def lock_timeout():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("update acc set bal=bal where id=1")
    b.execute("set lock_timeout = '500ms'")
    try: b.execute("update acc set bal=0 where id=1")
    except Exception: log.exception("update failed")
    a.execute("rollback"); a.close(); b.close()

def nowait_row():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("select * from acc where id=1 for update")
    b.execute("begin")
    try: b.execute("select * from acc where id=1 for update nowait")
    except Exception: log.exception("claim failed"); b.execute("rollback")
    a.execute("rollback"); a.close(); b.close()

def nowait_rel():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("lock table orders in access exclusive mode")
    b.execute("begin")
    try: b.execute("lock table orders in share mode nowait")
    except Exception: log.exception("lock failed"); b.execute("rollback")
    a.execute("rollback"); a.close(); b.close()

def long_wait_acquired():
    # waits longer than deadlock_timeout, then is granted: "still waiting" then "acquired"
    a, b = conn(), conn()
    a.execute("begin"); a.execute("update orders set status='paid' where id=1")
    def t():
        time.sleep(1.6); a.execute("commit")
    th = threading.Thread(target=t); th.start()
    b.execute("update orders set status='shipped' where id=1")
    th.join(); a.close(); b.close()

def relation_wait():
    a, b = conn(), conn()
    a.execute("begin"); a.execute("select * from orders")
    def t():
        time.sleep(1.4); a.execute("commit")
    th = threading.Thread(target=t); th.start()
    b.execute("alter table orders add column note text")
    th.join(); a.close(); b.close()

def unique_version():
    a = conn()
    try: a.execute("insert into events(stream_id, version, type, data) values ('order-42', 1, 'OrderShipped', '{}')")
    except Exception: log.exception("append to stream order-42 failed")
    a.close()

def advisory_deadlock():
    a, b = conn(), conn()
    a.execute("begin"); b.execute("begin")
    a.execute("select pg_advisory_xact_lock(1)"); b.execute("select pg_advisory_xact_lock(2)")
    def t1():
        try: a.execute("select pg_advisory_xact_lock(2)"); a.execute("commit")
        except Exception: log.exception("lock failed"); a.execute("rollback")
    th = threading.Thread(target=t1); th.start()
    time.sleep(0.3)
    try: b.execute("select pg_advisory_xact_lock(1)"); b.execute("commit")
    except Exception: log.exception("lock failed"); b.execute("rollback")
    th.join(); a.close(); b.close()

if __name__ == "__main__":
    setup()
    which = sys.argv[1:] or ["deadlock", "serialization_update", "serialization_ssi", "lock_timeout",
        "nowait_row", "nowait_rel", "long_wait_acquired", "relation_wait", "unique_version", "advisory_deadlock"]
    for w in which:
        run(w, globals()[w]); time.sleep(0.2)
