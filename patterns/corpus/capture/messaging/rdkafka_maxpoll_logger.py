# librdkafka 2.0.2 (python3-confluent-kafka 1.7.0) mock cluster; logs routed to Python logging with a JSON formatter.
import sys, time, logging, json
from confluent_kafka import Producer, Consumer, KafkaException, TopicPartition
class J(logging.Formatter):
    def format(self, r):
        d = {"timestamp": self.formatTime(r, "%Y-%m-%dT%H:%M:%S"), "level": r.levelname, "logger": r.name, "message": r.getMessage()}
        if r.exc_info: d["exc_info"] = self.formatException(r.exc_info)
        return json.dumps(d)
h = logging.StreamHandler(sys.stdout); h.setFormatter(J())
log = logging.getLogger("consumer.ledger"); log.addHandler(h); log.setLevel(logging.DEBUG)
p = Producer({"test.mock.num.brokers": 1, "logger": log})
md = p.list_topics(timeout=5)
brokers = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
for i in range(20): p.produce("orders", key=str(i), value=f"msg-{i}")
p.flush(10)
c = Consumer({"bootstrap.servers": brokers, "group.id": "ledger-projector", "auto.offset.reset": "earliest",
              "enable.auto.commit": False, "session.timeout.ms": 6000, "max.poll.interval.ms": 7000, "logger": log})
c.subscribe(["orders"])
m = None; t0 = time.time()
while m is None and time.time() - t0 < 30: m = c.poll(1.0)
time.sleep(12)
for i in range(3):
    m2 = c.poll(1.0)
    if m2 is not None and m2.error():
        log.error("Kafka consumer error: %s", m2.error().str())
try:
    c.commit(message=m, asynchronous=False)
    log.info("Offsets committed")
except KafkaException as e:
    log.exception("Failed to commit offsets")
c.close()
