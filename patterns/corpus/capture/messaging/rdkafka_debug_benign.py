# librdkafka 2.0.2 (python3-confluent-kafka 1.7.0) mock cluster with debug=cgrp,conf: routine join/assign/commit lines.
import sys, time
from confluent_kafka import Producer, Consumer
p = Producer({"test.mock.num.brokers": 1})
md = p.list_topics(timeout=5)
brokers = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
for i in range(10): p.produce("orders", value=b"x")
p.flush(10)
c = Consumer({"bootstrap.servers": brokers, "group.id": "ledger-projector", "auto.offset.reset": "earliest",
              "debug": "cgrp,conf", "max.poll.interval.ms": 300000, "session.timeout.ms": 45000})
c.subscribe(["orders"])
t0 = time.time(); n = 0
while time.time() - t0 < 8:
    m = c.poll(0.5)
    if m is not None and not m.error(): n += 1
c.commit(asynchronous=False)
c.close()
