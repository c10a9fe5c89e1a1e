# librdkafka (Debian librdkafka1 2.0.2 via python3-confluent-kafka 1.7.0) against its built-in mock cluster:
# consumer exceeds max.poll.interval.ms, then tries to commit.
import sys, time, logging
from confluent_kafka import Producer, Consumer, KafkaException, KafkaError
from confluent_kafka import libversion
print("libversion", libversion(), file=sys.stderr)
bootstrap = None
p = Producer({"test.mock.num.brokers": 1})
# find mock bootstrap servers via a metadata call on the producer
md = p.list_topics(timeout=5)
brokers = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
print("mock brokers", brokers, file=sys.stderr)
for i in range(20):
    p.produce("orders", key=str(i), value=f"msg-{i}")
p.flush(10)
c = Consumer({"bootstrap.servers": brokers, "group.id": "ledger-projector", "auto.offset.reset": "earliest",
              "enable.auto.commit": False, "session.timeout.ms": 6000, "max.poll.interval.ms": 7000,
              "debug": sys.argv[1] if len(sys.argv) > 1 else ""} if len(sys.argv) > 1 else
             {"bootstrap.servers": brokers, "group.id": "ledger-projector", "auto.offset.reset": "earliest",
              "enable.auto.commit": False, "session.timeout.ms": 6000, "max.poll.interval.ms": 7000})
c.subscribe(["orders"])
m = None
t0 = time.time()
while m is None and time.time() - t0 < 30:
    m = c.poll(1.0)
print("got", m and m.value(), file=sys.stderr)
time.sleep(12)
for i in range(5):
    m = c.poll(1.0)
    if m is not None and m.error():
        print("poll error:", m.error(), file=sys.stderr)
try:
    c.commit(asynchronous=False)
except KafkaException as e:
    print("commit failed:", e, file=sys.stderr)
c.close()
