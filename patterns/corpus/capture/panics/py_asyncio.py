# An asyncio task fails and nobody awaits it: "Task exception was never retrieved" at garbage collection
import asyncio, gc
async def append(stream):
    raise ConnectionResetError(104, "Connection reset by peer")
async def main():
    asyncio.ensure_future(append("order-42"))
    await asyncio.sleep(0.1)
    gc.collect()
asyncio.run(main())
