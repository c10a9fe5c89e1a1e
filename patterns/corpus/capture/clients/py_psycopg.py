"""psycopg 3 + psycopg_pool driven into PoolTimeout, SerializationFailure,
DeadlockDetected, QueryCanceled, idle timeouts, lock NOWAIT and too many
clients; logged as structlog JSON (native and through stdlib logging)."""
import logging, threading, time
import structlog
import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout
from caplib import Sink, SinkHandler, SinkFile, PG_DSN, ver

LIB = f"psycopg {ver('psycopg')} + psycopg_pool {ver('psycopg_pool')} / structlog {ver('structlog')}"
sink = Sink("py_psycopg.py", LIB)

# stdlib logging rendered by structlog's ProcessorFormatter (foreign psycopg.pool records too)
shared = [structlog.stdlib.add_log_level, structlog.stdlib.add_logger_name,
          structlog.processors.TimeStamper(fmt="iso", utc=True)]
pf = structlog.stdlib.ProcessorFormatter(
    foreign_pre_chain=shared,
    processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.ExceptionRenderer(
                    structlog.tracebacks.ExceptionDictTransformer(show_locals=False)),
                structlog.processors.JSONRenderer()])
root = logging.getLogger(); root.setLevel(logging.DEBUG)
root.addHandler(SinkHandler(sink, pf, LIB + " (stdlib ProcessorFormatter)", tag="pf"))
logging.getLogger("psycopg.pool").setLevel(logging.DEBUG)
stdlog = structlog.wrap_logger(logging.getLogger("eventstore.append"),
                               processors=shared + [structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
                               wrapper_class=structlog.stdlib.BoundLogger)

# native structlog: JSON with the traceback as a string in "exception"
structlog.configure(
    processors=[structlog.contextvars.merge_contextvars, structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="%Y-%m-%dT%H:%M:%S.%fZ", utc=True, key="timestamp"),
                structlog.processors.format_exc_info, structlog.processors.JSONRenderer()],
    logger_factory=structlog.WriteLoggerFactory(file=SinkFile(sink, LIB)),
    cache_logger_on_first_use=False)
log = structlog.get_logger().bind(logger="orders.worker")

def both(method, event, **kw):
    getattr(log, method)(event, **kw)
    getattr(stdlog, method)(event, **kw)

sink.label("skip")
with psycopg.connect(PG_DSN, autocommit=True) as c:
    c.execute("drop table if exists pg_accounts, pg_streams")
    c.execute("create table pg_accounts(id int primary key, balance int)")
    c.execute("insert into pg_accounts values (1,100),(2,100)")

# 1. pool timeout
sink.label("benign")
pool = ConnectionPool(PG_DSN, min_size=1, max_size=2, timeout=1, name="orders-pool", open=True)
pool.wait()
log.info("connection pool ready", pool="orders-pool", min_size=1, max_size=2, timeout=1.0)
a = pool.getconn(); b = pool.getconn()
sink.label("pool_exhaustion", accept=["timeout"])
for i in range(2):
    try:
        pool.getconn(timeout=0.5)
    except PoolTimeout:
        both("exception", "could not get database connection", pool="orders-pool")
sink.label("benign")
pool.putconn(a); pool.putconn(b)
with pool.connection() as c:
    c.execute("select 1")
log.info("pool stats", **{k: v for k, v in pool.get_stats().items() if k.startswith(("pool_", "requests_wait", "usage"))})
pool.close()

# 2. serialization failure
sink.label("skip")
c1 = psycopg.connect(PG_DSN); c2 = psycopg.connect(PG_DSN)
for c in (c1, c2):
    c.isolation_level = psycopg.IsolationLevel.SERIALIZABLE
c1.execute("select sum(balance) from pg_accounts").fetchone()
c2.execute("select sum(balance) from pg_accounts").fetchone()
c1.execute("update pg_accounts set balance = balance - 1 where id = 1")
c2.execute("update pg_accounts set balance = balance - 1 where id = 2")
c1.commit()
sink.label("concurrency_conflict")
try:
    c2.commit()
except errors.SerializationFailure:
    both("exception", "transaction aborted", attempt=1, max_attempts=1)
sink.label("skip")
c2.rollback()

# 3. deadlock
barrier = threading.Barrier(2)
def worker(first, second, conn):
    try:
        conn.execute("update pg_accounts set balance = balance + 1 where id = %s", (first,))
        barrier.wait(); time.sleep(0.1)
        conn.execute("update pg_accounts set balance = balance + 1 where id = %s", (second,))
        conn.commit()
    except errors.DeadlockDetected:
        sink.label("deadlock")
        both("exception", "transfer failed", from_account=first, to_account=second)
        sink.label("skip")
        conn.rollback()
for c in (c1, c2):
    c.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
t1 = threading.Thread(target=worker, args=(1, 2, c1)); t2 = threading.Thread(target=worker, args=(2, 1, c2))
t1.start(); t2.start(); t1.join(); t2.join()

# 4. lock NOWAIT
c1.execute("select * from pg_accounts where id = 1 for update")
sink.label("deadlock")
try:
    c2.execute("select * from pg_accounts where id = 1 for update nowait")
except errors.LockNotAvailable:
    log.error("row is locked", exc_info=True, account_id=1)
sink.label("skip")
c1.rollback(); c2.rollback(); c1.close(); c2.close()

# 5. statement timeout via connection options
sink.label("benign")
log.info("connecting", options="-c statement_timeout=250", application_name="orders-worker")
c = psycopg.connect(PG_DSN, options="-c statement_timeout=250", application_name="orders-worker")
sink.label("timeout")
try:
    c.execute("select pg_sleep(3)")
except errors.QueryCanceled:
    both("exception", "query failed", query="select pg_sleep(3)")
c.close()

# 6. idle-in-transaction timeout and idle-session timeout
c = psycopg.connect(PG_DSN)
c.execute("set idle_in_transaction_session_timeout = '300ms'")
c.execute("select 1")
time.sleep(0.8)
sink.label("timeout")
try:
    c.execute("select 2")
except psycopg.Error:
    log.exception("query failed", query="select 2")
sink.label("skip"); c.close()
c = psycopg.connect(PG_DSN, autocommit=True)
c.execute("set idle_session_timeout = '300ms'")
time.sleep(0.8)
sink.label("timeout")
try:
    c.execute("select 3")
except psycopg.Error:
    stdlog.exception("query failed", query="select 3")
sink.label("skip"); c.close()

# 7. too many clients; the pool's own warnings while it cannot connect
hold = []
try:
    for i in range(60):
        hold.append(psycopg.connect(PG_DSN))
except psycopg.OperationalError:
    sink.label("pool_exhaustion")
    both("exception", "database connection failed", held=len(hold))
sink.label("pool_exhaustion")
pool = ConnectionPool(PG_DSN, min_size=1, max_size=4, timeout=1, reconnect_timeout=2, name="reports-pool", open=True)
try:
    with pool.connection(timeout=1.5) as c:
        c.execute("select 1")
except PoolTimeout:
    log.exception("could not get database connection", pool="reports-pool")
for h in hold:
    h.close()
sink.label("benign")
time.sleep(2.5)
with pool.connection(timeout=5) as c:
    c.execute("select 1")
pool.close()
sink.close()
