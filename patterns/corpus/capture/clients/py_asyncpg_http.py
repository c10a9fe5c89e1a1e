"""asyncpg (pool acquire timeout, QueryCanceledError, command timeout,
SerializationError, DeadlockDetectedError), requests/httpx timeouts against a
slow local server, and a MemoryError; logged with plain logging (traceback)
and python-json-logger."""
import asyncio, logging, resource, sys, time
import asyncpg, requests, httpx
from pythonjsonlogger.json import JsonFormatter
from caplib import Sink, SinkHandler, PG_DSN, ver
import slow_server

sink = Sink("py_asyncpg_http.py", "asyncpg")
plain = logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)s %(name)s - %(message)s", "%Y-%m-%dT%H:%M:%S")
jsonf = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(module)s %(lineno)d",
                      rename_fields={"levelname": "level"}, timestamp=True)
root = logging.getLogger(); root.setLevel(logging.DEBUG)
hp = SinkHandler(sink, plain, tag="plain"); hj = SinkHandler(sink, jsonf, tag="json")
root.addHandler(hp); root.addHandler(hj)
for n in ("asyncio",):
    logging.getLogger(n).setLevel(logging.WARNING)

def lib(name):
    hp.library = f"{name} / logging"; hj.library = f"{name} / python-json-logger {ver('python-json-logger')}"

log = logging.getLogger("billing.service")

async def pg():
    lib(f"asyncpg {ver('asyncpg')}")
    sink.label("skip")
    c = await asyncpg.connect(PG_DSN)
    await c.execute("drop table if exists ap_accounts; create table ap_accounts(id int primary key, balance int);"
                    "insert into ap_accounts values (1,100),(2,100)")
    await c.close()
    # 1. pool acquire timeout
    pool = await asyncpg.create_pool(PG_DSN, min_size=1, max_size=1, command_timeout=5)
    held = await pool.acquire()
    sink.label("pool_exhaustion", accept=["timeout"])
    try:
        await pool.acquire(timeout=0.5)
    except asyncio.TimeoutError:
        log.exception("failed to acquire connection from pool")
    sink.label("skip")
    await pool.release(held)
    # 2. statement timeout -> QueryCanceledError
    async with pool.acquire() as c:
        await c.execute("set statement_timeout = 200")
        sink.label("timeout")
        try:
            await c.fetch("select pg_sleep(2)")
        except asyncpg.exceptions.QueryCanceledError:
            log.exception("query failed")
        sink.label("skip")
        await c.execute("reset statement_timeout")
    # 3. client-side command timeout
        sink.label("timeout")
        try:
            await c.fetch("select pg_sleep(2)", timeout=0.3)
        except asyncio.TimeoutError:
            log.exception("query timed out")
        sink.label("skip")
    # 4. serialization failure (concurrent update under REPEATABLE READ)
    c1 = await asyncpg.connect(PG_DSN); c2 = await asyncpg.connect(PG_DSN)
    t1 = c1.transaction(isolation="repeatable_read"); t2 = c2.transaction(isolation="repeatable_read")
    await t1.start(); await t2.start()
    await c1.fetch("select * from ap_accounts"); await c2.fetch("select * from ap_accounts")
    await c1.execute("update ap_accounts set balance = balance - 5 where id = 1")
    async def late():
        await c2.execute("update ap_accounts set balance = balance + 5 where id = 1")
    task = asyncio.create_task(late())
    await asyncio.sleep(0.2)
    await t1.commit()
    sink.label("concurrency_conflict")
    try:
        await task
    except asyncpg.exceptions.SerializationError:
        log.exception("transaction failed")
    sink.label("skip")
    await t2.rollback()
    # 5. deadlock
    t1 = c1.transaction(); t2 = c2.transaction()
    await t1.start(); await t2.start()
    await c1.execute("update ap_accounts set balance = 1 where id = 1")
    await c2.execute("update ap_accounts set balance = 1 where id = 2")
    async def cross(c, i):
        try:
            await c.execute(f"update ap_accounts set balance = 2 where id = {i}")
        except asyncpg.exceptions.DeadlockDetectedError:
            sink.label("deadlock")
            log.exception("transfer failed")
            sink.label("skip")
    await asyncio.gather(cross(c1, 2), cross(c2, 1))
    for t in (t1, t2):
        try:
            await t.rollback()
        except Exception:
            pass
    await c1.close(); await c2.close()
    await pool.close()

def http():
    srv = slow_server.start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    ls, fill, bh = slow_server.black_hole()
    # requests (+ urllib3 debug/warning logs)
    lib(f"requests {ver('requests')} + urllib3 {ver('urllib3')}")
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    sink.label("benign")
    requests.get(base + "/ok", timeout=(1, 2))
    sink.label("timeout")
    try:
        requests.get(base + "/slow=3", timeout=0.5)
    except requests.exceptions.ReadTimeout:
        log.exception("inventory lookup failed")
    try:
        requests.get(f"http://127.0.0.1:{bh}/", timeout=0.5)
    except requests.exceptions.ConnectTimeout:
        log.exception("inventory lookup failed")
    # urllib3 Retry: a warning per retried read timeout
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    s = requests.Session()
    s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, read=2, backoff_factor=0.05, allowed_methods=None)))
    try:
        s.get(base + "/slow=2", timeout=0.3)
    except requests.exceptions.ConnectionError:
        log.exception("inventory lookup failed")
    # httpx (+ httpcore debug logs)
    lib(f"httpx {ver('httpx')} + httpcore {ver('httpcore')}")
    logging.getLogger("httpx").setLevel(logging.DEBUG); logging.getLogger("httpcore").setLevel(logging.DEBUG)
    sink.label("benign")
    with httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0)) as cl:
        cl.get(base + "/ok")
    sink.label("timeout")
    with httpx.Client(timeout=0.5) as cl:
        try:
            cl.get(base + "/slow=3")
        except httpx.ReadTimeout:
            log.exception("payment gateway call failed")
        try:
            cl.get(f"http://127.0.0.1:{bh}/")
        except httpx.ConnectTimeout:
            log.exception("payment gateway call failed")
    # httpx pool timeout: one connection, two concurrent requests
    async def pooled():
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(5.0, pool=0.3)) as ac:
            async def one():
                try:
                    await ac.get(base + "/slow=1")
                except httpx.PoolTimeout:
                    sink.label("pool_exhaustion", accept=["timeout"])
                    log.exception("payment gateway call failed")
                    sink.label("skip")
            sink.label("skip")
            await asyncio.gather(one(), one())
    asyncio.run(pooled())
    logging.getLogger("httpcore").setLevel(logging.INFO)
    srv.shutdown(); ls.close(); [f.close() for f in fill]

def memory():
    lib("CPython MemoryError")
    sink.label("memory_pressure")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, hard))
    try:
        chunks = []
        for i in range(100):
            chunks.append(bytearray(64 << 20))
    except MemoryError:
        chunks = None
        log.exception("failed to build report")
    try:
        data = b"x" * (2 << 30)
    except MemoryError:
        log.critical("snapshot rebuild aborted", exc_info=True)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    sink.label("skip")

asyncio.run(pg())
http()
memory()
sink.close()
