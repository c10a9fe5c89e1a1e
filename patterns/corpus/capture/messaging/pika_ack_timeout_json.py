# RabbitMQ 3.10.8 (consumer_timeout = 15000, log.file.formatter = json), pika 1.2.0 with a JSON log formatter.
import logging, sys, time, json, pika
class J(logging.Formatter):
    def format(self, r):
        d = {"timestamp": self.formatTime(r, "%Y-%m-%dT%H:%M:%S") + ".%03dZ" % r.msecs, "level": r.levelname.lower(), "logger": r.name, "event": r.getMessage()}
        if r.exc_info: d["exc_info"] = self.formatException(r.exc_info)
        return json.dumps(d)
h = logging.StreamHandler(sys.stdout); h.setFormatter(J()); logging.getLogger().addHandler(h); logging.getLogger().setLevel(logging.INFO)
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 35672))
ch = conn.channel()
ch.queue_declare("ledger-events")
ch.basic_publish("", "ledger-events", b"evt-1")
ch.basic_consume("ledger-events", lambda c, m, p, b: None, auto_ack=False)
try:
    t0 = time.time()
    while time.time() - t0 < 100:
        conn.process_data_events(time_limit=1)
    ch.basic_ack(1)
except Exception:
    logging.getLogger("ledger.consumer").exception("consumer loop failed")
