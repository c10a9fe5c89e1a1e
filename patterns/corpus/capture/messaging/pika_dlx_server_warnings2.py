# RabbitMQ 3.10.8 (log.file.formatter = json), pika 1.2.0: DLX cycle on a classic queue, and a quorum
# queue (at-least-once) whose dead-letter exchange exists but routes nowhere.
import time, pika
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 35672))
ch = conn.channel()
for q in ("emails.delay", "emails.qq"): ch.queue_delete(q)
ch.queue_declare("emails.delay", arguments={"x-message-ttl": 100, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "emails.delay"})
ch.basic_publish("", "emails.delay", b"e-1")
ch.exchange_declare("emails.dlx", "direct")
ch.queue_declare("emails.qq", durable=True, arguments={"x-queue-type": "quorum", "x-dead-letter-exchange": "emails.dlx",
                 "x-dead-letter-routing-key": "emails.dead", "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish", "x-message-ttl": 100})
ch.basic_publish("", "emails.qq", b"e-2")
time.sleep(3)
conn.close()
