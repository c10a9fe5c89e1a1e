#!/usr/bin/env python3
"""SQLAlchemy 2.1.9 / asyncpg 0.32.0 / Django 5.2.19 / psycopg 3.3.9 against the local PostgreSQL 15.18.
Logs with stdlib logging (plain text tracebacks), python-json-logger 4.2.0 and structlog 26.1.0 JSON."""
import asyncio, logging, sys, threading, time
import structlog
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import create_engine, Column, Integer, String, text
from sqlalchemy.orm import declarative_base, Session

plain = logging.getLogger("app.plain"); h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")); plain.addHandler(h); plain.propagate = False
jlog = logging.getLogger("app.orders"); jh = logging.StreamHandler(sys.stdout)
jh.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"}))
jlog.addHandler(jh); jlog.propagate = False
for l in (plain, jlog): l.setLevel(logging.DEBUG)
structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()])
slog = structlog.get_logger("app.ledger")

URL = "postgresql+psycopg://postgres@/postgres?host=/tmp/tailwatch-capture/concurrency&port=55439"
Base = declarative_base()
class Order(Base):
    __tablename__ = "sa_orders"
    id = Column(Integer, primary_key=True); status = Column(String); version_id = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}

def stale_data():
    eng = create_engine(URL)
    Base.metadata.drop_all(eng); Base.metadata.create_all(eng)
    with Session(eng) as s: s.add(Order(id=1, status="new")); s.commit()
    s1, s2 = Session(eng), Session(eng)
    o1 = s1.get(Order, 1); o2 = s2.get(Order, 1)
    o1.status = "paid"; s1.commit()
    o2.status = "cancelled"
    try: s2.commit()
    except Exception:
        plain.exception("failed to cancel order 1")
        jlog.exception("failed to cancel order", extra={"order_id": 1})
    # benign: SQLAlchemy's own engine logger at INFO shows version_id in the UPDATE
    s2.rollback()
    eng.dispose()

def sa_serialization():
    eng = create_engine(URL, isolation_level="REPEATABLE READ")
    with eng.connect() as c: c.execute(text("update acc set bal=100")); c.commit()
    c1, c2 = eng.connect(), eng.connect()
    c1.execute(text("select * from acc")); c2.execute(text("select * from acc"))
    c1.execute(text("update acc set bal=bal+1 where id=1"))
    threading.Timer(0.2, c1.commit).start()
    try: c2.execute(text("update acc set bal=bal+2 where id=1"))
    except Exception:
        slog.exception("deposit_failed", account_id=1)
        plain.exception("deposit failed")
    c2.rollback(); c1.close(); c2.close(); eng.dispose()

def sa_deadlock():
    eng = create_engine(URL)
    c1, c2 = eng.connect(), eng.connect()
    c1.execute(text("update acc set bal=bal-1 where id=1")); c2.execute(text("update acc set bal=bal-1 where id=2"))
    def t():
        try: c1.execute(text("update acc set bal=bal+1 where id=2")); c1.commit()
        except Exception: jlog.exception("transfer failed", extra={"from": 1, "to": 2}); c1.rollback()
    th = threading.Thread(target=t); th.start(); time.sleep(0.3)
    try: c2.execute(text("update acc set bal=bal+1 where id=1")); c2.commit()
    except Exception: jlog.exception("transfer failed", extra={"from": 2, "to": 1}); c2.rollback()
    th.join(); c1.close(); c2.close(); eng.dispose()

async def asyncpg_errors():
    import asyncpg
    kw = dict(host="/tmp/tailwatch-capture/concurrency", port=55439, user="postgres", database="postgres")
    a, b = await asyncpg.connect(**kw), await asyncpg.connect(**kw)
    ta = a.transaction(isolation="serializable"); tb = b.transaction(isolation="serializable")
    await ta.start(); await tb.start()
    await a.fetch("select sum(bal) from acc"); await b.fetch("select sum(bal) from acc")
    await a.execute("update acc set bal=bal-10 where id=1"); await b.execute("update acc set bal=bal-10 where id=2")
    await ta.commit()
    try: await tb.commit()
    except Exception: slog.exception("withdrawal_failed", account_id=2)
    # deadlock
    ta = a.transaction(); tb = b.transaction(); await ta.start(); await tb.start()
    await a.execute("update acc set bal=bal-1 where id=1"); await b.execute("update acc set bal=bal-1 where id=2")
    async def t1():
        try: await a.execute("update acc set bal=bal+1 where id=2"); await ta.commit()
        except Exception: plain.exception("transfer failed"); await ta.rollback()
    task = asyncio.create_task(t1()); await asyncio.sleep(0.3)
    try: await b.execute("update acc set bal=bal+1 where id=1"); await tb.commit()
    except Exception: plain.exception("transfer failed"); await tb.rollback()
    await task; await a.close(); await b.close()

def django_errors():
    import django
    from django.conf import settings
    settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "USER": "postgres",
        "HOST": "/tmp/tailwatch-capture/concurrency", "PORT": "55439"}}, INSTALLED_APPS=[], USE_TZ=True)
    django.setup()
    from django.db import connections, transaction
    from django.db.utils import ConnectionHandler
    handler = ConnectionHandler(settings.DATABASES)
    c1 = connections["default"]
    import copy
    c2 = c1.copy()
    c1.set_autocommit(False); c2.set_autocommit(False)
    cur1, cur2 = c1.cursor(), c2.cursor()
    cur1.execute("select * from acc where id=1 for update")
    try: cur2.execute("select * from acc where id=1 for update nowait")
    except Exception: plain.exception("Internal Server Error: /api/accounts/1/lock")
    c2.rollback(); c1.rollback()
    cur1.execute("update acc set bal=bal-1 where id=1"); cur2.execute("update acc set bal=bal-1 where id=2")
    def t():
        try: cur1.execute("update acc set bal=bal+1 where id=2"); c1.commit()
        except Exception: jlog.exception("Internal Server Error: /api/transfers/"); c1.rollback()
    th = threading.Thread(target=t); th.start(); time.sleep(0.3)
    try: cur2.execute("update acc set bal=bal+1 where id=1"); c2.commit()
    except Exception: jlog.exception("Internal Server Error: /api/transfers/"); c2.rollback()
    th.join()

if __name__ == "__main__":
    for f in (stale_data, sa_serialization, sa_deadlock):
        try: f()
        except Exception: plain.exception("step crashed")
    asyncio.run(asyncpg_errors())
    try: django_errors()
    except Exception: plain.exception("django step crashed")
