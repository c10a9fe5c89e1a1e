# RabbitMQ 3.10.8 (Debian), pika 1.2.0 (Debian python3-pika): dead-lettering (reject, TTL expiry, max-length,
# quorum delivery-limit) read back with x-death headers; publisher confirms against x-overflow=reject-publish.
import logging, sys, time, json, pika
from pika.exceptions import NackError, UnroutableError
logging.basicConfig(stream=sys.stdout, level=logging.WARNING,
                    format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("orders.consumer"); log.setLevel(logging.INFO)
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 35672))
ch = conn.channel()
ch.exchange_declare("dlx", "fanout")
ch.queue_declare("orders.dlq"); ch.queue_bind("orders.dlq", "dlx")
for q in ("orders", "orders.ttl", "orders.capped", "orders.capped.reject", "orders.qq"): ch.queue_delete(q)
ch.queue_declare("orders", arguments={"x-dead-letter-exchange": "dlx"})
ch.queue_declare("orders.ttl", arguments={"x-dead-letter-exchange": "dlx", "x-message-ttl": 200})
ch.queue_declare("orders.capped", arguments={"x-dead-letter-exchange": "dlx", "x-max-length": 2})
ch.queue_declare("orders.capped.reject", arguments={"x-max-length": 2, "x-overflow": "reject-publish"})
ch.queue_declare("orders.qq", durable=True, arguments={"x-queue-type": "quorum", "x-delivery-limit": 2, "x-dead-letter-exchange": "dlx"})
# 1. reject without requeue
ch.basic_publish("", "orders", b'{"order":1}')
time.sleep(0.2)
m, p, b = ch.basic_get("orders")
ch.basic_reject(m.delivery_tag, requeue=False)
log.warning("rejected message %s without requeue", b.decode())
# 2. TTL
ch.basic_publish("", "orders.ttl", b'{"order":2}')
# 3. max-length drop-head
for i in range(3, 6): ch.basic_publish("", "orders.capped", json.dumps({"order": i}).encode())
# 4. quorum queue delivery-limit
ch.basic_publish("", "orders.qq", b'{"order":9}')
for i in range(4):
    time.sleep(0.3)
    m, p, b = ch.basic_get("orders.qq")
    if m is None: break
    log.info("qq delivery %s redelivered=%s x-delivery-count=%s", b.decode(), m.redelivered, (p.headers or {}).get("x-delivery-count"))
    ch.basic_nack(m.delivery_tag, requeue=True)
time.sleep(1)
while True:
    m, p, b = ch.basic_get("orders.dlq", auto_ack=True)
    if m is None: break
    xd = p.headers.get("x-death")
    log.error("Message %s arrived in dead-letter queue orders.dlq: reason=%s queue=%s count=%s x-death=%s",
              b.decode(), xd[0]["reason"], xd[0]["queue"], xd[0]["count"], xd)
# 5. reject-publish overflow with publisher confirms
ch.confirm_delivery()
for i in range(4):
    try:
        ch.basic_publish("", "orders.capped.reject", json.dumps({"order": 100 + i}).encode())
    except NackError as e:
        log.exception("publish to orders.capped.reject was nacked by the broker: %s", e)
conn.close()
