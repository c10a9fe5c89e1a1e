# nats-server 2.9.10 with JetStream, nats-py (PyPI): routine advisories (consumer created) and a worker that acks
# on the second delivery (a redelivery that succeeds), logged with structlog's JSON renderer.
import asyncio, json
import nats, structlog
from nats.js.api import ConsumerConfig, AckPolicy
structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso"), structlog.processors.JSONRenderer()])
log = structlog.get_logger("shipping.worker")
async def main():
    nc = await nats.connect("nats://127.0.0.1:34222"); js = nc.jetstream()
    try: await js.delete_stream("SHIPPING")
    except Exception: pass
    async def on_adv(msg): log.info("jetstream advisory", subject=msg.subject, advisory=json.loads(msg.data))
    await nc.subscribe("$JS.EVENT.ADVISORY.CONSUMER.CREATED.>", cb=on_adv)
    await js.add_stream(name="SHIPPING", subjects=["shipping.*"])
    await js.publish("shipping.label", b'{"id":7}')
    psub = await js.pull_subscribe("shipping.*", durable="labeler", config=ConsumerConfig(max_deliver=5, ack_wait=1.0, ack_policy=AckPolicy.EXPLICIT))
    for i in range(2):
        msgs = await psub.fetch(1, timeout=3)
        for m in msgs:
            if m.metadata.num_delivered >= 2:
                await m.ack(); log.info("acked after redelivery", num_delivered=m.metadata.num_delivered)
    info = await js.consumer_info("SHIPPING", "labeler")
    log.info("consumer info", num_ack_pending=info.num_ack_pending, num_pending=info.num_pending, num_redelivered=info.num_redelivered)
    await asyncio.sleep(0.5); await nc.close()
asyncio.run(main())
