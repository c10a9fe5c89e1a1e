# nats-server 2.9.10 with JetStream, nats-py (PyPI): a durable pull consumer with max_deliver=2, ack_wait=1s;
# the worker never acks; the server publishes io.nats.jetstream.advisory.v1.max_deliver advisories,
# which the app logs with structlog (JSON renderer).
import asyncio, sys, json
import nats, structlog
from nats.js.api import ConsumerConfig, AckPolicy
structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"),
                                structlog.processors.JSONRenderer()])
log = structlog.get_logger("orders.worker")
async def main():
    nc = await nats.connect("nats://127.0.0.1:34222", name="orders-worker")
    js = nc.jetstream()
    try: await js.delete_stream("ORDERS")
    except Exception: pass
    await js.add_stream(name="ORDERS", subjects=["orders.*"])
    async def on_adv(msg):
        log.warning("jetstream advisory", subject=msg.subject, advisory=json.loads(msg.data))
    await nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>", cb=on_adv)
    await js.publish("orders.created", b'{"id":42}')
    psub = await js.pull_subscribe("orders.*", durable="worker",
                                   config=ConsumerConfig(max_deliver=2, ack_wait=1.0, ack_policy=AckPolicy.EXPLICIT))
    for i in range(4):
        try:
            msgs = await psub.fetch(1, timeout=2)
            for m in msgs: log.info("fetched", seq=m.metadata.sequence.stream, num_delivered=m.metadata.num_delivered)
        except Exception as e:
            log.info("fetch returned no messages", error=repr(e))
    info = await js.consumer_info("ORDERS", "worker")
    log.info("consumer info", num_ack_pending=info.num_ack_pending, num_redelivered=info.num_redelivered, num_pending=info.num_pending)
    await asyncio.sleep(1); await nc.close()
asyncio.run(main())
