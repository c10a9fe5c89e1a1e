# RabbitMQ 3.10.8 (Debian) with consumer_timeout = 15000 in /tmp/tailwatch-capture/messaging-rmq/rabbitmq.conf, pika 1.2.0 (Debian python3-pika):
# a consumer takes a message with manual ack and never acks it.
import logging, sys, time, pika
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s %(threadName)s: %(message)s")
log = logging.getLogger("billing.worker")
params = pika.ConnectionParameters("127.0.0.1", 35672, heartbeat=600)
conn = pika.BlockingConnection(params)
ch = conn.channel()
ch.queue_declare("invoices", durable=False)
ch.basic_publish("", "invoices", b"invoice-1")
def cb(ch, method, props, body):
    log.info("processing %s (delivery_tag=%s), not acking", body, method.delivery_tag)
ch.basic_consume("invoices", cb, auto_ack=False)
try:
    t0 = time.time()
    while time.time() - t0 < 120:
        conn.process_data_events(time_limit=1)
except Exception as e:
    log.exception("consumer stopped: %s", e)
