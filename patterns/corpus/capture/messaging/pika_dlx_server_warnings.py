# RabbitMQ 3.10.8 (Debian), pika 1.2.0: provoke the server's dead-letter warnings:
# a classic-queue DLX cycle (TTL expiry routed back to itself) and a quorum queue (at-least-once)
# whose dead-letter exchange does not exist.
import time, pika
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 35672))
ch = conn.channel()
for q in ("payments.retry", "payments.qq"): ch.queue_delete(q)
ch.queue_declare("payments.retry", arguments={"x-message-ttl": 100, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "payments.retry"})
ch.basic_publish("", "payments.retry", b"p-1")
ch.queue_declare("payments.qq", durable=True, arguments={"x-queue-type": "quorum", "x-dead-letter-exchange": "payments.dlx.missing",
                 "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish", "x-message-ttl": 100})
ch.basic_publish("", "payments.qq", b"p-2")
time.sleep(3)
conn.close()
