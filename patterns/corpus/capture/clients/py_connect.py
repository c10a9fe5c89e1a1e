"""Connect timeouts against a listener whose accept backlog is full (loopback):
psycopg (connect_timeout), psycopg_pool's own warnings, SQLAlchemy's wrapper;
plain logging and python-json-logger."""
import logging, time
import psycopg, sqlalchemy as sa
from psycopg_pool import ConnectionPool, PoolTimeout
from pythonjsonlogger.json import JsonFormatter
from caplib import Sink, SinkHandler, ver
import slow_server

sink = Sink("py_connect.py", "psycopg")
plain = logging.Formatter("%(asctime)s %(levelname)-5s %(name)s [%(threadName)s] %(message)s")
jsonf = JsonFormatter("%(levelname)s %(name)s %(message)s", rename_fields={"levelname": "severity", "name": "logger"}, timestamp="time")
root = logging.getLogger(); root.setLevel(logging.INFO)
class PoolWarnHandler(SinkHandler):
    """psycopg.pool's warnings arrive from worker threads: label them as connect timeouts"""
    def emit(self, record):
        if record.name == "psycopg.pool" and str(record.msg).startswith("error connecting"):
            saved = (sink.cat, sink.accept)
            sink.label("timeout", ["pool_exhaustion"])
            try:
                super().emit(record)
            finally:
                sink.label(*saved)
        else:
            super().emit(record)
hp = PoolWarnHandler(sink, plain, tag="p"); hj = PoolWarnHandler(sink, jsonf, tag="j")
root.addHandler(hp); root.addHandler(hj)
def lib(name):
    hp.library = f"{name} / logging"; hj.library = f"{name} / python-json-logger {ver('python-json-logger')}"
log = logging.getLogger("projections.runner")

ls, fill, port = slow_server.black_hole()
dsn = f"postgresql://postgres@127.0.0.1:{port}/cap?connect_timeout=2"
lib(f"psycopg {ver('psycopg')}")
sink.label("timeout")
try:
    psycopg.connect(dsn)
except psycopg.OperationalError:
    log.exception("could not connect to event store database")
lib(f"SQLAlchemy {ver('sqlalchemy')} + psycopg {ver('psycopg')}")
eng = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/cap", connect_args={"connect_timeout": 2})
try:
    eng.connect()
except sa.exc.OperationalError:
    log.exception("could not connect to event store database")
lib(f"psycopg_pool {ver('psycopg_pool')}")
sink.label("timeout", ["pool_exhaustion"])
pool = ConnectionPool(dsn, min_size=1, max_size=2, timeout=3, name="projections-pool", open=True)
time.sleep(2.6)
sink.label("pool_exhaustion", ["timeout"])
try:
    with pool.connection() as c:
        pass
except PoolTimeout:
    log.exception("could not connect to event store database")
sink.label("skip")
pool.close(timeout=1)
ls.close(); [f.close() for f in fill]
sink.close()
