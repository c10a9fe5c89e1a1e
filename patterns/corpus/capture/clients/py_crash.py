"""Python processes and threads dying (stderr as CPython writes it), asyncio's
'Task exception was never retrieved', SQLAlchemy's warning for a connection
the GC had to clean up, and psycopg_pool's TooManyRequests."""
import gc, logging, os, subprocess, sys, warnings
import sqlalchemy as sa
from psycopg_pool import ConnectionPool, TooManyRequests
from caplib import Sink, SinkHandler, PG_URL, PG_DSN, ver, PYVER
import threading

D = os.path.dirname(os.path.abspath(__file__))
sink = Sink("py_crash.py", "CPython")
PY = os.path.join(D, "venv/bin/python")

def run(script, cat, accept=None, lib=None):
    p = subprocess.run([PY, script], capture_output=True, text=True, cwd=D + "/crash", timeout=60)
    sink.label(cat, accept)
    text = p.stderr.strip("\n")
    sink.add(text, library=lib or "interpreter stderr, uncaught")
    sink.label(None)
    return text

run("py_uncaught_pool.py", "panic", ["pool_exhaustion", "timeout"], f"psycopg_pool {ver('psycopg_pool')}, uncaught (interpreter stderr)")
t = run("py_thread_deadlock.py", "deadlock", ["panic"], f"psycopg {ver('psycopg')}, threading.excepthook (stderr)")
run("py_task_never_retrieved.py", "timeout", None, f"asyncpg {ver('asyncpg')} / asyncio logger, logging.basicConfig")
run("py_uncaught_memory.py", "memory_pressure", ["panic"])
run("py_segfault.py", "panic", None, "faulthandler (stderr)")

# SQLAlchemy: a checked-out connection garbage collected -> SAWarning through py.warnings
plain = logging.Formatter("%(asctime)s [%(levelname)s] %(name)s: %(message)s")
root = logging.getLogger(); root.setLevel(logging.INFO)
h = SinkHandler(sink, plain, f"SQLAlchemy {ver('sqlalchemy')} / logging.captureWarnings", tag="w")
root.addHandler(h)
logging.captureWarnings(True)
warnings.simplefilter("always")
sink.label("pool_pressure")
import asyncio
from sqlalchemy.ext.asyncio import create_async_engine
h.library = f"SQLAlchemy {ver('sqlalchemy')} + asyncpg {ver('asyncpg')} / logging"
async def leak_main():
    eng = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:55433/cap", pool_size=2, max_overflow=0)
    async def leak():
        c = await eng.connect(); await c.exec_driver_sql("select 1")
    await leak(); gc.collect(); await asyncio.sleep(0.1)
    await eng.dispose()
asyncio.run(leak_main())
# psycopg_pool: max_waiting reached -> TooManyRequests
h.library = f"psycopg_pool {ver('psycopg_pool')} / logging"
log = logging.getLogger("orders.api")
sink.label("skip")
pool = ConnectionPool(PG_DSN, min_size=1, max_size=1, max_waiting=1, timeout=2, open=True, name="api-pool")
held = pool.getconn()
waiter = threading.Thread(target=lambda: (lambda c: pool.putconn(c))(pool.getconn()) if True else None)
waiter.start()
import time; time.sleep(0.3)
sink.label("pool_exhaustion")
try:
    pool.getconn()
except TooManyRequests:
    log.exception("request rejected")
sink.label("skip")
pool.putconn(held); waiter.join(); pool.close()
sink.close()
