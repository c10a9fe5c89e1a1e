# librdkafka 2.0.2 mock cluster (python3-confluent-kafka 1.7.0, Debian) as the broker; kafka-python (PyPI) consumer
# reads a little of a 60000-record backlog and its fetch-manager metrics (records-lag-max) are logged as a dict;
# the confluent-kafka consumer's statistics JSON (consumer_lag per partition) is logged too.
import sys, time, json, logging
from confluent_kafka import Producer, Consumer
logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
log = logging.getLogger("ledger.lag"); log.setLevel(logging.INFO)
p = Producer({"test.mock.num.brokers": 1, "linger.ms": 50})
md = p.list_topics(timeout=5)
brokers = ",".join(f"{b.host}:{b.port}" for b in md.brokers.values())
for i in range(60000): p.produce("ledger-events", value=b"e" * 100, partition=0)
p.flush(30)
mode = sys.argv[1]
if mode == "kafka-python":
    from kafka import KafkaConsumer
    c = KafkaConsumer("ledger-events", bootstrap_servers=brokers, group_id="ledger-projector", auto_offset_reset="earliest",
                      max_poll_records=50)
    n = 0; t0 = time.time()
    while n < 100 and time.time() - t0 < 20:
        for tp, recs in c.poll(timeout_ms=1000, max_records=50).items(): n += len(recs)
    m = c.metrics()["consumer-fetch-manager-metrics"]
    log.info("consumer fetch metrics %s", {k: v for k, v in m.items() if "lag" in k or "records-consumed" in k})
    c.close()
else:
    stats = []
    c = Consumer({"bootstrap.servers": brokers, "group.id": "ledger-projector-rd", "auto.offset.reset": "earliest",
                  "statistics.interval.ms": 1000, "stats_cb": lambda s: stats.append(s), "fetch.max.bytes": 1000000, "message.max.bytes": 1000000, "max.partition.fetch.bytes": 5000, "queued.max.messages.kbytes": 64})
    c.subscribe(["ledger-events"])
    t0 = time.time()
    while time.time() - t0 < 6:
        c.poll(0.1); time.sleep(0.5)
    s = json.loads(stats[-1])
    part = s["topics"]["ledger-events"]["partitions"]["0"]
    log.info("librdkafka partition stats %s", json.dumps({k: part[k] for k in ("partition", "fetch_state", "committed_offset", "hi_offset", "ls_offset", "consumer_lag", "consumer_lag_stored")}))
    c.close()
