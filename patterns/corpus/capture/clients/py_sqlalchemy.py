"""SQLAlchemy 2 driven into pool timeout, statement timeout, StaleDataError,
deadlock, lock timeout and a stream-version unique violation; logged with
plain logging (traceback) and python-json-logger."""
import logging, threading, time, sys
from caplib import Sink, SinkHandler, PG_URL, ver
from pythonjsonlogger.json import JsonFormatter
import sqlalchemy as sa
from sqlalchemy import orm, exc

LIB = f"SQLAlchemy {ver('sqlalchemy')} + psycopg {ver('psycopg')}"
sink = Sink("py_sqlalchemy.py", LIB)
plain = logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")
plain2 = logging.Formatter("[%(asctime)s] %(levelname)-8s %(process)d %(threadName)s %(name)s: %(message)s")
jsonf = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                      rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"})
root = logging.getLogger()
root.setLevel(logging.DEBUG)
root.addHandler(SinkHandler(sink, plain, LIB + " / logging", tag="plain"))
root.addHandler(SinkHandler(sink, jsonf, LIB + f" / python-json-logger {ver('python-json-logger')}", tag="json"))
logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
logging.getLogger("sqlalchemy.pool").setLevel(logging.DEBUG)
log = logging.getLogger("ledger.repository")

sink.label("skip")
setup = sa.create_engine(PG_URL)
with setup.begin() as c:
    c.exec_driver_sql("drop table if exists sa_accounts, sa_events")
    c.exec_driver_sql("create table sa_accounts(id int primary key, balance int, version_id int not null)")
    c.exec_driver_sql("insert into sa_accounts values (1,100,1),(2,100,1)")
    c.exec_driver_sql("create table sa_events(id serial primary key, stream_id text, version int, data text, unique(stream_id, version))")
setup.dispose()

# 1. pool exhaustion: QueuePool limit reached
sink.label("benign")
eng = sa.create_engine(PG_URL, pool_size=2, max_overflow=0, pool_timeout=1, pool_pre_ping=True)
c1 = eng.connect(); c2 = eng.connect()
c1.exec_driver_sql("select 1")
sink.label("pool_exhaustion")
for i in range(2):
    try:
        eng.connect()
    except exc.TimeoutError:
        log.exception("could not load account")
sink.label("benign")
c1.close(); c2.close()
with eng.connect() as c:
    c.exec_driver_sql("select 1")
eng.dispose()

# 2. statement timeout -> OperationalError(QueryCanceled)
eng = sa.create_engine(PG_URL, echo=False)
with eng.connect() as c:
    sink.label("benign")
    c.exec_driver_sql("SET statement_timeout = '200ms'")
    c.exec_driver_sql("SHOW statement_timeout").scalar()
    sink.label("timeout")
    try:
        c.exec_driver_sql("select pg_sleep(2)")
    except exc.OperationalError:
        log.exception("query failed")
    sink.label("benign")
    c.rollback()

# 3. StaleDataError on a versioned mapper
class Base(orm.DeclarativeBase):
    pass

class Account(Base):
    __tablename__ = "sa_accounts"
    id = sa.Column(sa.Integer, primary_key=True)
    balance = sa.Column(sa.Integer)
    version_id = sa.Column(sa.Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}

S = orm.sessionmaker(eng)
s1, s2 = S(), S()
a1 = s1.get(Account, 1); a2 = s2.get(Account, 1)
a1.balance += 10; s1.commit()
a2.balance -= 10
sink.label("concurrency_conflict")
try:
    s2.commit()
except orm.exc.StaleDataError:
    log.exception("failed to save account")
sink.label("skip")
s2.rollback(); s1.close(); s2.close()

# 3b. unique violation on (stream_id, version): optimistic append to an event stream
sink.label("benign")
with eng.begin() as c:
    c.execute(sa.text("insert into sa_events(stream_id, version, data) values (:s, :v, :d)"),
              {"s": "order-42", "v": 1, "d": "{}"})
sink.label("concurrency_conflict")
try:
    with eng.begin() as c:
        c.execute(sa.text("insert into sa_events(stream_id, version, data) values (:s, :v, :d)"),
                  {"s": "order-42", "v": 1, "d": "{}"})
except exc.IntegrityError:
    log.exception("append to stream order-42 failed")

# 4. deadlock between two transactions
sink.label("skip")
barrier = threading.Barrier(2)
def worker(first, second):
    with eng.connect() as c:
        try:
            c.exec_driver_sql(f"update sa_accounts set balance = balance + 1 where id = {first}")
            barrier.wait()
            time.sleep(0.1)
            c.exec_driver_sql(f"update sa_accounts set balance = balance + 1 where id = {second}")
            c.commit()
        except exc.OperationalError:
            sink.label("deadlock")
            log.exception("transfer failed")
            sink.label("skip")
            c.rollback()
t1 = threading.Thread(target=worker, args=(1, 2), name="worker-1")
t2 = threading.Thread(target=worker, args=(2, 1), name="worker-2")
t1.start(); t2.start(); t1.join(); t2.join()

# 5. lock timeout
holder = eng.connect()
holder.exec_driver_sql("select * from sa_accounts where id = 2 for update")
with eng.connect() as c:
    sink.label("benign")
    c.exec_driver_sql("SET lock_timeout = '300ms'")
    sink.label("deadlock")
    try:
        c.exec_driver_sql("update sa_accounts set balance = 0 where id = 2")
    except exc.OperationalError:
        log.exception("could not update account")
    sink.label("skip")
    c.rollback()
holder.rollback(); holder.close()

# 6. benign engine INFO/DEBUG lines from a fresh engine with echo_pool
sink.label("benign")
for h in root.handlers:
    h.setFormatter(plain2 if h.formatter is plain else h.formatter)
eng2 = sa.create_engine(PG_URL, pool_size=5, max_overflow=10, pool_timeout=30, pool_recycle=1800, pool_pre_ping=True)
with eng2.connect() as c:
    c.exec_driver_sql("SET idle_in_transaction_session_timeout = '60s'")
    c.exec_driver_sql("SET deadlock_timeout = '1s'") if False else None
    c.exec_driver_sql("SHOW lock_timeout")
    c.commit()
eng2.dispose()
eng.dispose()
sink.close()
