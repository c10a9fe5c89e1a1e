# an asyncio task fails on a statement timeout and nobody awaits it
import asyncio, gc, logging, asyncpg
logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
async def report(conn):
    await conn.fetch("select pg_sleep(2)")
async def main():
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:55433/cap", server_settings={"statement_timeout": "200"})
    t = asyncio.ensure_future(report(conn))
    await asyncio.sleep(0.6)
    del t; gc.collect()
    await conn.close()
asyncio.run(main())
