# librdkafka 2.0.2 (python3-confluent-kafka 1.7.0) mock cluster:
# (a) commit after the consumer left the group for exceeding max.poll.interval.ms,
# (b) commit while a second member's join has the group rebalancing.
import sys, time, logging
from confluent_kafka import Producer, Consumer, KafkaException
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)s [%(threadName)s] %(name)s - %(message)s")
log = logging.getLogger("app.kafka.OrderConsumer")
p = Producer({"test.mock.num.brokers": 1})
md = p.list_topics(timeout=5)
brokers = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
for i in range(50): p.produce("orders", key=str(i), value=f"msg-{i}")
p.flush(10)
def mk(name, mpi=7000):
    return Consumer({"bootstrap.servers": brokers, "group.id": "orders-" + sys.argv[1], "auto.offset.reset": "earliest",
                     "enable.auto.commit": False, "session.timeout.ms": 6000, "max.poll.interval.ms": mpi,
                     "client.id": name})
a = mk("a")
a.subscribe(["orders"])
m = None; t0 = time.time()
while m is None and time.time() - t0 < 30: m = a.poll(1.0)
if sys.argv[1] == "maxpoll":
    time.sleep(12)
else:
    b = mk("b", 60000); b.subscribe(["orders"]); b.poll(0.5); time.sleep(0.3)
for k in range(3):
    try:
        a.commit(message=m, asynchronous=False)
        log.info("commit ok")
    except KafkaException as e:
        log.error("Failed to commit offset for %s [%d] @ %d: %s", m.topic(), m.partition(), m.offset(), e)
    time.sleep(0.5)
a.close()
