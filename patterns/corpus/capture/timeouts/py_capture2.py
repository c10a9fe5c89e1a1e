# Captures real timeout exceptions from Python clients against loopback servers
# (slow HTTP on 18081, silent TCP on 18083, PostgreSQL 15 on 55471).
import logging, sys, asyncio, json
from pythonjsonlogger.json import JsonFormatter
import structlog
jl = logging.getLogger("app.jsonlog"); h = logging.StreamHandler(open("py2_jsonlog.out", "w"))
h.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")); jl.addHandler(h); jl.propagate = False
pl = logging.getLogger("app.plain"); h2 = logging.StreamHandler(open("py2_plain.out", "w"))
h2.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")); pl.addHandler(h2); pl.propagate = False
structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info, structlog.processors.JSONRenderer()],
    logger_factory=structlog.WriteLoggerFactory(file=open("py2_structlog.out", "w")))
sl = structlog.get_logger()
def report(name, fn):
    try:
        fn()
        jl.info("%s ok", name)
    except Exception as e:
        jl.exception("%s failed", name); pl.exception("%s failed", name); sl.exception(f"{name} failed")
        print(name, type(e).__module__, type(e).__name__, repr(str(e))[:300])
import requests, httpx, redis, psycopg, psycopg2, asyncpg, sqlalchemy, aiohttp
def sa_async():
    from sqlalchemy.ext.asyncio import create_async_engine
    async def go():
        e = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:55471/postgres", connect_args={"command_timeout": 0.5})
        async with e.connect() as c: await c.execute(sqlalchemy.text("SELECT pg_sleep(2)"))
    asyncio.run(go())
report("sqlalchemy_asyncpg", sa_async)

