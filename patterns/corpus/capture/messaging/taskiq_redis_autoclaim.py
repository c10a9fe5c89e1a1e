# Redis 7.0.15 (Debian) on 127.0.0.1:36379, taskiq 0.13.0 + taskiq-redis 1.2.4 (PyPI), DEBUG logging:
# worker A reads tasks from the stream and dies without acking; worker B's listen() XAUTOCLAIMs them after idle_timeout
# (taskiq-redis runs XAUTOCLAIM only after a non-empty XREADGROUP, hence the extra task t9).
import asyncio, logging, sys
from taskiq_redis import RedisStreamBroker
from taskiq.message import BrokerMessage
logging.basicConfig(stream=sys.stdout, level=logging.DEBUG,
                    format="[%(asctime)s][%(name)s][%(levelname)-7s][%(processName)s] %(message)s")
for n in ("asyncio",): logging.getLogger(n).setLevel(logging.WARNING)
URL = "redis://127.0.0.1:36379/3"
async def main():
    pub = RedisStreamBroker(URL, queue_name="billing", consumer_name="publisher", idle_timeout=1500)
    await pub.startup()
    for i in range(3):
        await pub.kick(BrokerMessage(task_id=f"t{i}", task_name="billing:charge", message=b'{"args":[]}', labels={}))
    a = RedisStreamBroker(URL, queue_name="billing", consumer_name="worker-a", idle_timeout=1500)
    await a.startup()
    gen = a.listen()
    for i in range(3): await gen.__anext__()   # read, never ack
    b = RedisStreamBroker(URL, queue_name="billing", consumer_name="worker-b", idle_timeout=1500)
    await b.startup()
    await asyncio.sleep(2)
    await pub.kick(BrokerMessage(task_id='t9', task_name='billing:charge', message=b'{"args":[]}', labels={}))
    gb = b.listen()
    async def drain():
        async for m in gb:
            await m.ack()
    t = asyncio.create_task(drain())
    await asyncio.sleep(4)
    await pub.kick(BrokerMessage(task_id='t10', task_name='billing:charge', message=b'{"args":[]}', labels={}))
    await asyncio.sleep(4)
    t.cancel()
asyncio.run(main())
