# Captures real timeout exceptions from Python clients against loopback servers
# (slow HTTP on 18081, silent TCP on 18083, PostgreSQL 15 on 55471).
import logging, sys, asyncio, json
from pythonjsonlogger.json import JsonFormatter
import structlog
jl = logging.getLogger("app.jsonlog"); h = logging.StreamHandler(open("py_jsonlog.out", "w"))
h.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")); jl.addHandler(h); jl.propagate = False
pl = logging.getLogger("app.plain"); h2 = logging.StreamHandler(open("py_plain.out", "w"))
h2.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")); pl.addHandler(h2); pl.propagate = False
structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info, structlog.processors.JSONRenderer()],
    logger_factory=structlog.WriteLoggerFactory(file=open("py_structlog.out", "w")))
sl = structlog.get_logger()
def report(name, fn):
    try:
        fn()
        jl.info("%s ok", name)
    except Exception as e:
        jl.exception("%s failed", name); pl.exception("%s failed", name); sl.exception(f"{name} failed")
        print(name, type(e).__module__, type(e).__name__, repr(str(e))[:300])
import requests, httpx, redis, psycopg, psycopg2, asyncpg, sqlalchemy, aiohttp
report("requests", lambda: requests.get("http://127.0.0.1:18081/v1/balance", timeout=5))
report("requests_tuple", lambda: requests.get("http://127.0.0.1:18081/v1/balance", timeout=(3.05, 2)))
report("httpx", lambda: httpx.get("http://127.0.0.1:18081/v1/balance", timeout=2))
async def ax():
    async with httpx.AsyncClient(timeout=httpx.Timeout(1.0)) as c:
        await c.get("http://127.0.0.1:18081/v1/balance")
report("httpx_async", lambda: asyncio.run(ax()))
async def aio():
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as s:
        await s.get("http://127.0.0.1:18081/v1/balance")
report("aiohttp_total", lambda: asyncio.run(aio()))
async def aio2():
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(sock_read=1)) as s:
        await s.get("http://127.0.0.1:18081/v1/balance")
report("aiohttp_sock_read", lambda: asyncio.run(aio2()))
report("redis", lambda: redis.Redis(host="127.0.0.1", port=18083, socket_timeout=1).get("k"))
DSN = "host=127.0.0.1 port=55471 user=postgres dbname=postgres"
def pg3():
    with psycopg.connect(DSN, options="-c statement_timeout=200") as c:
        c.execute("SELECT pg_sleep(2)")
report("psycopg", pg3)
def pg2():
    c = psycopg2.connect(DSN, options="-c statement_timeout=200"); c.cursor().execute("SELECT pg_sleep(2)")
report("psycopg2", pg2)
async def apg():
    c = await asyncpg.connect("postgresql://postgres@127.0.0.1:55471/postgres", server_settings={"statement_timeout": "200"})
    await c.execute("SELECT pg_sleep(2)")
report("asyncpg_stmt", lambda: asyncio.run(apg()))
async def apg2():
    c = await asyncpg.connect("postgresql://postgres@127.0.0.1:55471/postgres", command_timeout=0.5)
    await c.fetch("SELECT pg_sleep(2)")
report("asyncpg_cmd", lambda: asyncio.run(apg2()))
def sa():
    e = sqlalchemy.create_engine("postgresql+psycopg2://postgres@127.0.0.1:55471/postgres", connect_args={"options": "-c statement_timeout=200"})
    with e.connect() as c: c.execute(sqlalchemy.text("SELECT pg_sleep(2)"))
report("sqlalchemy_psycopg2", sa)
def sa3():
    e = sqlalchemy.create_engine("postgresql+psycopg://postgres@127.0.0.1:55471/postgres", connect_args={"options": "-c statement_timeout=200"})
    with e.connect() as c: c.execute(sqlalchemy.text("SELECT id, total FROM orders WHERE pg_sleep(2) IS NOT NULL"))
report("sqlalchemy_psycopg", sa3)
def sa_async():
    from sqlalchemy.ext.asyncio import create_async_engine
    async def go():
        e = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:55471/postgres", connect_args={"command_timeout": 0.5})
        async with e.connect() as c: await c.execute(sqlalchemy.text("SELECT pg_sleep(2)"))
    asyncio.run(go())
report("sqlalchemy_asyncpg", sa_async)
