#!/usr/bin/env python3
"""Builds /tmp/tailwatch-capture/corpus/messaging.jsonl (consumer_lag, dead_letter and hard benign lines).

Captured lines are read back from the *.out / *.log files in this directory (written by the
scripts beside this file against real software running on loopback); source-cited lines
reproduce message text read in the named repository at the named commit, put into the
record format the software or a common logging library writes.
"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = "/tmp/tailwatch-capture/corpus/messaging.jsonl"

def cap(fname, pattern, nth=0):
    rx = re.compile(pattern)
    hits = [l.rstrip("\n") for l in open(os.path.join(HERE, fname), encoding="utf-8") if rx.search(l)]
    if len(hits) <= nth:
        sys.exit(f"no line #{nth} matching {pattern!r} in {fname}")
    return hits[nth]

def j(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

# ---- sources -------------------------------------------------------------------------------
KAFKA = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99"
KAFKA_25 = "apache/kafka@2.5.0 (66563e712b0b9f84f673b262f2fb87c03110084d)"
KAFKA_28 = "apache/kafka@2.8.0 (ebb1d6e21cc9213071ee1c6a15ec3411fc215b81)"
KC = "clients/src/main/java/org/apache/kafka/clients/consumer"
RDK = "confluentinc/librdkafka@4c3b017c3de8d9c10de12b9eec0ea688e8d5787d"
SARAMA = "IBM/sarama@bd98b3aec67780cf514f219ed0342c5c1d9e1b75"
FRANZ = "twmb/franz-go@adb3a18abe14bdb230f1cd738d03623301013d42"
SPRING = "spring-projects/spring-kafka@3f3cf7d88cd57a07061c91399026667f9a929c3e"
SK = "spring-kafka/src/main/java/org/springframework/kafka"
RMQ = "rabbitmq/rabbitmq-server@v3.10.8"
LAPIN = "amqp-rs/lapin@70611e8f4085da2f15acaa781fc2bf79bf36b484 src/channel.rs (on_channel_close_received) + amqp-rs/amq-protocol@1028742a19f950caf1138a45b497f79c5db98b24 protocol/src/protocol.rs, protocol/src/generated.rs (AMQPError Display)"
NATSGO = "nats-io/nats.go@850f889cf3d63bfd1a549ab9af59f0145146fb41 nats.go (ErrSlowConsumer)"
NSB = "Particular/NServiceBus@1d534882dd4359c15be97e804a3ce7579550bc2f"
SIDEKIQ = "sidekiq/sidekiq@1bb4aa06e5aa178a114a5e855f9f3d5c24f6c61b lib/sidekiq/job_retry.rb (retries_exhausted/send_to_morgue), lib/sidekiq/logger.rb (JSON formatter)"
ASYNQ = "hibiken/asynq@785bb7208cb0766877fcc20ac1dbebe857a43c9b processor.go (handleFailedMessage), internal/log/log.go (prefix)"
LARAVEL = "laravel/framework@bd71b45fbb7e672957bf6ff61baddefe15fbca6a src/Illuminate/Queue/MaxAttemptsExceededException.php"
LARAVEL8 = "laravel/framework@v8.0.0 src/Illuminate/Queue/Worker.php (maxAttemptsExceededException)"
KEDA = "kedacore/keda@8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a pkg/scalers/kafka_scaler.go (getTotalLag log)"
SQSC = "bbc/sqs-consumer@08add4feef74a6c54f80fa793164f36b7240be52 src/consumer.ts (error prefixes); AWS SQS reason text as reported in bbc/sqs-consumer issue #83 and mapbox/ecs-watchbot issue #135"
TASKIQ = "captured: Redis 7.0.15 (Debian) + taskiq 0.13.0 / taskiq-redis 1.2.4 (PyPI), /tmp/tailwatch-capture/messaging/taskiq_redis_autoclaim.py; text in taskiq-python/taskiq-redis@374c789739b63f6cec765a09d71606193be26197 taskiq_redis/redis_broker.py"
RDK_CAP = "captured: librdkafka 2.0.2 (Debian librdkafka1, via python3-confluent-kafka 1.7.0) mock cluster, /tmp/tailwatch-capture/messaging/"
RMQ_CAP = "captured: RabbitMQ 3.10.8 (Debian rabbitmq-server), /tmp/tailwatch-capture/messaging/"
NATS_CAP = "captured: nats-server 2.9.10 (Debian), /tmp/tailwatch-capture/messaging/"

E = []
def add(cat, line, source, accept=None):
    e = {"category": cat, "line": line, "source": source}
    if accept: e["accept"] = accept
    E.append(e)

POLL_TAIL = ("was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is "
             "spending too much time processing messages. You can address this either by increasing max.poll.interval.ms "
             "or by reducing the maximum size of batches returned in poll() with max.poll.records.")
POLL_WARN = "consumer poll timeout has expired. This means the time between subsequent calls to poll() " + POLL_TAIL
COMMIT_FAILED = ("Commit cannot be completed since the group has already rebalanced and assigned the partitions to another member. "
                 "This means that the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, "
                 "which typically implies that the poll loop is spending too much time message processing. You can address this "
                 "either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.")
NOT_ACTIVE = ("Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; "
              "it is likely that the consumer was kicked out of the group.")

# ============================ consumer_lag ===================================================
# Kafka Java client: poll interval exceeded (3.x WARN from the heartbeat thread)
add("consumer_lag", j({"@timestamp": "2026-11-30T09:14:02.551+01:00", "@version": "1", "message": "[Consumer clientId=consumer-ledger-projector-1, groupId=ledger-projector] " + POLL_WARN, "logger_name": "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "thread_name": "kafka-coordinator-heartbeat-thread | ledger-projector", "level": "WARN", "level_value": 30000}),
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (handlePollTimeoutExpiry)")
add("consumer_lag", "[2026-11-30 09:14:02,551] WARN [Consumer clientId=consumer-orders-2, groupId=orders] " + POLL_WARN + " (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (handlePollTimeoutExpiry); log4j layout of the Kafka distribution")
add("consumer_lag", "2026-11-30T08:02:11.904Z  WARN 1 --- [billing] [consumer_background_thread] o.a.k.c.c.i.ConsumerHeartbeatRequestManager : [Consumer clientId=consumer-billing-1, groupId=billing] Consumer poll timeout has expired. This means the time between subsequent calls to poll() " + POLL_TAIL,
    f"{KAFKA} {KC}/internals/AbstractHeartbeatRequestManager.java (poll, new consumer protocol); Spring Boot console layout")
# LeaveGroup logged at INFO, reason carries the poll timeout (2.5: full text; 3.x: short)
add("consumer_lag", "[2026-11-29 22:41:17,003] INFO [Consumer clientId=consumer-payments-1, groupId=payments] Member consumer-payments-1-3b8f1c7e-5d0a-4c61-9a53-0f7e2b1d9c44 sending LeaveGroup request to coordinator kafka-2:9092 (id: 2147483645 rack: null) due to consumer poll timeout has expired. This means the time between subsequent calls to poll() " + POLL_TAIL + " (org.apache.kafka.clients.consumer.internals.AbstractCoordinator)",
    f"{KAFKA_25} {KC}/internals/AbstractCoordinator.java (maybeLeaveGroup leaveReason, HeartbeatThread)")
add("consumer_lag", j({"@timestamp": "2026-11-30T10:05:41.118Z", "level": "INFO", "logger_name": "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "thread_name": "kafka-coordinator-heartbeat-thread | inventory", "message": "[Consumer clientId=consumer-inventory-3, groupId=inventory] Member consumer-inventory-3-a71c2e90-1f4d-4b8e-8d6f-2c9e0b5a7f13 sending LeaveGroup request to coordinator 10.0.4.12:9092 (id: 2147483646 rack: null) due to consumer poll timeout has expired."}),
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (maybeLeaveGroup)")
# broker side: the rebalance the slow member caused
add("consumer_lag", "[2026-11-30 10:05:41,131] INFO [GroupCoordinator 1]: Preparing to rebalance group inventory in state PreparingRebalance with old generation 57 (__consumer_offsets-31) (reason: Removing member consumer-inventory-3-a71c2e90-1f4d-4b8e-8d6f-2c9e0b5a7f13 on LeaveGroup; client reason: consumer poll timeout has expired.) (kafka.coordinator.group.GroupCoordinator)",
    f"{KAFKA} core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala (prepareRebalance, removeMemberAndUpdateGroup)")
add("consumer_lag", "[2026-11-30 10:07:12,480] INFO [GroupCoordinator 2]: Member consumer-ledger-1-0c3d9f6b-8e21-4a7b-b5c4-19d2e6f0a8b1 in group ledger has failed, removing it from the group (kafka.coordinator.group.GroupCoordinator)",
    f"{KAFKA} core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala (onExpireHeartbeat)")
add("consumer_lag", "[2026-12-01 03:12:09,774] INFO [GroupCoordinator id=1 topic=__consumer_offsets partition=17] Member consumer-fraud-scorer-2-77e3b0c1-4a9d-4e02-9b7f-3d5c8a1e6f20 in group fraud-scorer has failed, removing it from the group. (org.apache.kafka.coordinator.group.GroupMetadataManager)",
    f"{KAFKA} group-coordinator/src/main/java/org/apache/kafka/coordinator/group/GroupMetadataManager.java (classic group session timeout); log prefix from GroupCoordinatorService.java + coordinator-common CoordinatorRuntime.java")
# commit failures after being kicked out
add("consumer_lag", j({"@timestamp": "2026-11-30T09:14:09.020+01:00", "level": "ERROR", "logger_name": "com.acme.ledger.ProjectionConsumer", "thread_name": "ledger-projector-0", "message": "Offset commit failed for ledger-events", "stack_trace": "org.apache.kafka.clients.consumer.CommitFailedException: " + COMMIT_FAILED + "\n\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator$OffsetCommitResponseHandler.handle(ConsumerCoordinator.java:1282)\n\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.commitOffsetsSync(ConsumerCoordinator.java:1123)\n\tat org.apache.kafka.clients.consumer.KafkaConsumer.commitSync(KafkaConsumer.java:1473)\n\tat com.acme.ledger.ProjectionConsumer.run(ProjectionConsumer.java:88)\n"}),
    f"{KAFKA} {KC}/CommitFailedException.java (default constructor)")
add("consumer_lag", "2026-11-30 11:20:45.310 ERROR 7 --- [orders-consumer] c.a.orders.OrderEventListener          : commitSync failed\norg.apache.kafka.clients.consumer.CommitFailedException: " + NOT_ACTIVE + "\n\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.sendOffsetCommitRequest(ConsumerCoordinator.java:1281)\n\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.commitOffsetsSync(ConsumerCoordinator.java:1123)\n\tat org.apache.kafka.clients.consumer.KafkaConsumer.commitSync(KafkaConsumer.java:1473)\n\tat com.acme.orders.OrderEventListener.poll(OrderEventListener.java:64)",
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (sendOffsetCommitRequest)")
add("consumer_lag", "[2026-11-30 11:20:45,302] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Failing OffsetCommit request since the consumer is not part of an active group (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (sendOffsetCommitRequest)")
add("consumer_lag", "2026-11-30 11:20:45,318 WARN  [org.apache.kafka.clients.consumer.internals.ConsumerCoordinator] (orders-worker-2) [Consumer clientId=consumer-orders-2, groupId=orders] Synchronous auto-commit of offsets {orders-4=OffsetAndMetadata{offset=88213, leaderEpoch=7, metadata=''}} failed: " + NOT_ACTIVE,
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (maybeAutoCommitOffsetsSync)")
add("consumer_lag", j({"timestamp": "2026-11-30T12:01:07.441Z", "level": "WARN", "logger": "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "thread": "shipping-listener-0-C-1", "message": "[Consumer clientId=consumer-shipping-1, groupId=shipping] Asynchronous auto-commit of offsets {shipments-1=OffsetAndMetadata{offset=4410, leaderEpoch=null, metadata=''}} failed: " + COMMIT_FAILED}),
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (doAutoCommitOffsetsAsync) + {KC}/CommitFailedException.java")
# librdkafka (captured against its mock cluster)
add("consumer_lag", cap("rdkafka_maxpoll.out", r"\|MAXPOLL\|"), RDK_CAP + "rdkafka_maxpoll.py")
add("consumer_lag", cap("rdkafka_commit_errors_maxpoll.out", r"\|MAXPOLL\|"), RDK_CAP + "rdkafka_commit_errors.py (maxpoll)")
add("consumer_lag", cap("rdkafka_maxpoll_logger.out", r"MAXPOLL \["), RDK_CAP + "rdkafka_maxpoll_logger.py (confluent-kafka logger -> Python logging JSON)")
add("consumer_lag", cap("rdkafka_maxpoll_logger.out", r"Kafka consumer error: Application maximum poll"), RDK_CAP + "rdkafka_maxpoll_logger.py (_MAX_POLL_EXCEEDED consumer error)")
add("consumer_lag", cap("rdkafka_commit_errors_maxpoll.out", r"UNKNOWN_MEMBER_ID"), RDK_CAP + "rdkafka_commit_errors.py (commit after leaving the group)")
add("consumer_lag", cap("rdkafka_commit_errors_rebalance.out", r"REBALANCE_IN_PROGRESS"), RDK_CAP + "rdkafka_commit_errors.py (commit while the group rebalances)")
add("consumer_lag", cap("rdkafka_stats_lag.out", r'"consumer_lag": [1-9]'), RDK_CAP + "kafka_python_lag_metrics.py librdkafka (statistics JSON, consumer_lag of a partition 47k behind)")
# Kafka tool metrics output and KEDA's scaler
add("consumer_lag", "consumer-fetch-manager-metrics:records-lag-max:{client-id=perf-consumer-52117}                        : 184322.000",
    f"{KAFKA} tools/src/main/java/org/apache/kafka/tools/ToolsUtils.java (printMetrics) with the consumer metric records-lag-max ({KC}/internals/metrics/FetchMetricsRegistry.java)")
add("consumer_lag", j({"level": "debug", "ts": "2026-11-30T12:14:55Z", "logger": "kafka_scaler", "msg": "Kafka scaler: Providing metrics based on totalLag 248311, topicPartitions 12, threshold 100", "type": "ScaledObject", "namespace": "payments", "name": "payments-consumer"}),
    KEDA)
# Sarama / franz-go
add("consumer_lag", "[sarama] 2026/11/30 13:02:44 consumer/broker/3 abandoned subscription to ledger-events/7 because consuming was taking too long",
    f"{SARAMA} consumer.go (subscriptionConsumer, errTimedOut / Consumer.MaxProcessingTime)")
add("consumer_lag", "2026/11/30 13:03:10 Error from consumer: kafka server: A rebalance for the group is in progress. Please re-join the group",
    f"{SARAMA} errors.go (ErrRebalanceInProgress) + examples/consumergroup/main.go (\"Error from consumer: %v\")")
add("consumer_lag", j({"level": "error", "ts": 1796160190.552, "caller": "consumer/group.go:118", "msg": "commit failed", "group": "ledger", "error": "kafka server: The provided member is not known in the current generation"}),
    f"{SARAMA} errors.go (ErrUnknownMemberId); zap JSON")
add("consumer_lag", "[WARN] received an OffsetCommitResponse after our group session has ended, unable to handle this (were we kicked from the group?)",
    f"{FRANZ} pkg/kgo/consumer_group.go + pkg/kgo/logger.go (basicLogger)")
add("consumer_lag", "[INFO] heartbeat errored; group: ledger-projector, err: UNKNOWN_MEMBER_ID: The coordinator is not aware of this member.",
    f"{FRANZ} pkg/kgo/consumer_group.go (heartbeat errored) + pkg/kerr/kerr.go (UnknownMemberID)")
# RabbitMQ: consumer acknowledgement timeout
add("consumer_lag", cap("rabbitmq-3.10.8-plain.log", r"has timed out waiting for delivery acknowledgement"), RMQ_CAP + "pika_ack_timeout.py; text in " + RMQ + " deps/rabbit/src/rabbit_channel.erl")
add("consumer_lag", cap("rabbitmq-3.10.8-plain.log", r"operation none caused a channel exception precondition_failed: delivery acknowledgement"), RMQ_CAP + "pika_ack_timeout.py (second line of the channel error)")
add("consumer_lag", cap("rabbitmq-3.10.8-json.log", r'"Consumer 1 on channel 1 has timed out'), RMQ_CAP + "pika_ack_timeout_json.py (log.file.formatter = json)")
add("consumer_lag", cap("rabbitmq-3.10.8-json.log", r'Channel error on connection .*delivery acknowledgement'), RMQ_CAP + "amqplib_ack_timeout.js (log.file.formatter = json)")
add("consumer_lag", "2026-11-30 14:30:00.412118+00:00 [warning] <0.2381.0> Consumer 'amq.ctag-Xy3vQ1mNp8Lr0aZk2WbH4g' on channel 1 and queue 'invoices' in vhost '/' has timed out waiting for a consumer acknowledgement of a delivery with delivery tag = 17. Timeout used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more",
    "rabbitmq/rabbitmq-server@v3.13.0 deps/rabbit/src/rabbit_channel.erl (handle_consumer_timed_out); RabbitMQ plain log layout as captured from 3.10.8")
add("consumer_lag", j({"time": "2026-11-30 14:31:07.902331+00:00", "level": "warning", "msg": "Consumer 'amq.ctag-f0C2kq9RZr1sT4uVw6yX8A' on channel 2 and queue 'ledger-events' in vhost 'prod' has timed out waiting for a consumer acknowledgement of a delivery with\n                 message id of 4412. Timeout used: 900000 ms. This timeout value can be configured, see consumers doc guide to learn more", "domain": "rabbitmq.channel", "pid": "<0.9127.0>"}),
    "rabbitmq/rabbitmq-server@5b09e556da53b8473f26843a2493d8460ced8c8e deps/rabbit/src/rabbit_channel.erl (handle_consumer_timed_out, the format string spans a line break); JSON layout as captured from 3.10.8 (log.file.formatter = json)")
add("consumer_lag", cap("pika_ack_timeout.out", r"Received remote Channel.Close \(406\)"), "captured: RabbitMQ 3.10.8 + pika 1.2.0 (Debian python3-pika), /tmp/tailwatch-capture/messaging/pika_ack_timeout.py")
add("consumer_lag", cap("pika_ack_timeout_json.out", r"Received remote Channel.Close \(406\)"), "captured: RabbitMQ 3.10.8 + pika 1.2.0, JSON formatter, /tmp/tailwatch-capture/messaging/pika_ack_timeout_json.py")
add("consumer_lag", cap("amqplib_ack_timeout.out", r"PRECONDITION-FAILED"), "captured: RabbitMQ 3.10.8 + amqplib 2.3.1 / pino 10.4.0 (npm), /tmp/tailwatch-capture/messaging/amqplib_ack_timeout.js")
add("consumer_lag", j({"timestamp": "2026-11-30T14:22:03.118204Z", "level": "ERROR", "fields": {"message": "Channel closed", "channel": "1", "method": "Close { reply_code: 406, reply_text: ShortString(\"PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more\"), class_id: 0, method_id: 0 }", "error": "AMQPError { kind: Soft(PRECONDITIONFAILED), message: ShortString(\"PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more\") }"}, "target": "lapin::channel"}),
    LAPIN + "; server text " + RMQ + " deps/rabbit/src/rabbit_channel.erl; tracing-subscriber JSON")
add("consumer_lag", j({"timestamp": "2026-11-30T14:22:03.120877Z", "level": "ERROR", "fields": {"message": "consumer stream failed", "error": "protocol error: AMQP soft error: PRECONDITION-FAILED: PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more"}, "target": "billing_worker::amqp"}),
    "amqp-rs/lapin@70611e8f4085da2f15acaa781fc2bf79bf36b484 src/error.rs (ErrorKind::ProtocolError Display) + amqp-rs/amq-protocol@1028742a19f950caf1138a45b497f79c5db98b24 protocol/src/protocol.rs; tracing-subscriber JSON")
# RabbitMQ: queue at its length limit with x-overflow=reject-publish
add("consumer_lag", cap("pika_dlx_overflow.out", r"Message was Nack'ed by broker"), "captured: RabbitMQ 3.10.8 + pika 1.2.0, queue x-max-length=2 x-overflow=reject-publish with publisher confirms, /tmp/tailwatch-capture/messaging/pika_dlx_overflow.py")
add("consumer_lag", cap("pika_dlx_overflow.out", r"Message was Nack'ed by broker", 1), "captured: RabbitMQ 3.10.8 + pika 1.2.0, x-overflow=reject-publish (next publish), /tmp/tailwatch-capture/messaging/pika_dlx_overflow.py")
_tb = open(os.path.join(HERE, "pika_dlx_overflow.out"), encoding="utf-8").read().split("\n")
_i = next(i for i, l in enumerate(_tb) if "was nacked by the broker" in l)
_k = next(k for k in range(_i, len(_tb)) if _tb[k].startswith("pika.exceptions.NackError"))
add("consumer_lag", "\n".join(_tb[_i:_k + 1]), "captured: RabbitMQ 3.10.8 + pika 1.2.0 BlockingChannel.basic_publish with confirms on a full reject-publish queue, /tmp/tailwatch-capture/messaging/pika_dlx_overflow.py (NackError raised by pika)")
# NATS
add("consumer_lag", cap("nats-server-2.9.10-run1.log", r"Slow Consumer Detected: WriteDeadline", 0), NATS_CAP + "nats_slow_consumer.py server (write_deadline 1s); text in nats-io/nats-server@v2.9.10 server/client.go")
add("consumer_lag", cap("nats-server-2.9.10-run1.log", r"Slow Consumer Detected: WriteDeadline", 1), NATS_CAP + "nats_slow_consumer.py server (second run)")
add("consumer_lag", cap("nats-server-2.9.10-run2.log", r"Slow Consumer Detected: MaxPending"), NATS_CAP + "nats_slow_consumer.py server (max_pending 1MB, write_deadline 30s)")
add("consumer_lag", cap("nats_slow_client.out", r"nats: encountered error") + "\n" + cap("nats_slow_client.out", r"SlowConsumerError: nats: slow consumer"),
    "captured: nats-server 2.9.10 + nats-py 2.16.0 (PyPI), /tmp/tailwatch-capture/messaging/nats_slow_consumer.py client")
add("consumer_lag", j({"level": "error", "ts": "2026-11-30T15:40:12.331Z", "caller": "natsbus/conn.go:77", "msg": "nats async error", "subject": "inventory.updated", "error": "nats: slow consumer, messages dropped"}),
    NATSGO + "; zap JSON from an ErrorHandler")
# Redis-backed queues
add("consumer_lag", cap("bullmq_stalled.out", r'"msg":"job failed"'), "captured: Redis 7.0.15 + bullmq 6.7.0 / pino (npm), /tmp/tailwatch-capture/messaging/bullmq_stalled.js", ["dead_letter"])
add("consumer_lag", cap("bullmq_stalled.out", r"Missing lock for job"), "captured: Redis 7.0.15 + bullmq 6.7.0 / pino (npm), /tmp/tailwatch-capture/messaging/bullmq_stalled.js (lock expired while the processor blocked the event loop)")
add("consumer_lag", cap("taskiq_redis_autoclaim.out", r"Found [1-9]\d* pending messages"), TASKIQ)
# SQS
add("consumer_lag", j({"level": 50, "time": 1796162401223, "pid": 1, "hostname": "orders-worker-6d9f7", "msg": "sqs-consumer error", "err": {"type": "SQSError", "message": "SQS delete message failed: Value AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a8JN3hPe7TNRfdIw7KdbD6oT3Nv6x5rZnpYwLqYd2KHo4+T3Xb2mJz7R0aN5QcGp9W1s= for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", "stack": "SQSError: SQS delete message failed: Value AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a8JN3hPe7TNRfdIw7KdbD6oT3Nv6x5rZnpYwLqYd2KHo4+T3Xb2mJz7R0aN5QcGp9W1s= for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.\n    at toSQSError (/app/node_modules/sqs-consumer/dist/cjs/errors.js:96:23)\n    at Consumer.deleteMessage (/app/node_modules/sqs-consumer/dist/cjs/consumer.js:471:48)", "code": "InvalidParameterValue"}}),
    SQSC)
add("consumer_lag", "2026-11-30 16:02:19,554 ERROR [worker] Failed to delete message 7b1e2c44-0f9a-4c55-9e3d-6a8f2b1c0d77\nbotocore.exceptions.ClientError: An error occurred (InvalidParameterValue) when calling the DeleteMessage operation: Value AQEBz3q8xN0k5bYtRuS2hW9Pj4c1= for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
    "boto/botocore ClientError format \"An error occurred (%s) when calling the %s operation: %s\" (botocore/exceptions.py); AWS SQS reason text as reported in boto/boto3 issue #2898")
add("consumer_lag", j({"level": 50, "time": 1796162455017, "pid": 1, "hostname": "orders-worker-6d9f7", "msg": "sqs-consumer error", "err": {"type": "SQSError", "message": "Error changing visibility timeout: Value AQEB1r2G1xUgtM7qqQ38i3rHkee4yvzg3Jo0X5ukMCn8BTGVkR2KU4IWCFHDGJl1s8knq7FLRDjcPPLP8mTPLX= for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.", "code": "InvalidParameterValue"}}),
    SQSC)
add("consumer_lag", j({"level": "WARNING", "timestamp": "2026-11-30T16:10:05.402Z", "logger": "alerts.sns_forwarder", "message": "CloudWatch alarm notification", "alarm": {"AlarmName": "orders-queue-oldest-message-age", "AlarmDescription": None, "AWSAccountId": "123456789012", "NewStateValue": "ALARM", "NewStateReason": "Threshold Crossed: 1 out of the last 1 datapoints [912.0 (30/11/26 16:05:00)] was greater than the threshold (600.0) (minimum 1 datapoint for OK -> ALARM transition).", "StateChangeTime": "2026-11-30T16:10:04.981+0000", "Region": "EU (Frankfurt)", "OldStateValue": "OK", "Trigger": {"MetricName": "ApproximateAgeOfOldestMessage", "Namespace": "AWS/SQS", "StatisticType": "Statistic", "Statistic": "MAXIMUM", "Unit": None, "Dimensions": [{"value": "orders", "name": "QueueName"}], "Period": 300, "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanThreshold", "Threshold": 600.0}}}),
    "CloudWatch alarm SNS notification fields as modelled in kenju/go-cloudwatch main.go (AlarmMessage/AlarmTrigger); NewStateReason wording as CloudWatch writes it (quoted in public alarm fixtures); metric AWS/SQS ApproximateAgeOfOldestMessage")

# ============================ dead_letter ====================================================
add("dead_letter", j({"@timestamp": "2026-11-30T17:01:44.210Z", "level": "ERROR", "logger_name": "org.springframework.kafka.listener.DefaultErrorHandler", "thread_name": "org.springframework.kafka.KafkaListenerEndpointContainer#0-0-C-1", "message": "Backoff FixedBackOff{interval=0, currentAttempts=10, maxAttempts=9} exhausted for orders-0@42", "stack_trace": "org.springframework.kafka.listener.ListenerExecutionFailedException: Listener method 'public void com.acme.orders.OrderListener.on(com.acme.orders.OrderPlaced)' threw exception\n\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2996)\nCaused by: java.lang.IllegalStateException: unknown sku 7781\n\tat com.acme.orders.OrderListener.on(OrderListener.java:41)\n"}),
    f"{SPRING} {SK}/listener/FailedRecordTracker.java (default recoverer) + {SK}/support/KafkaUtils.java; FixedBackOff toString from spring-projects/spring-framework spring-core FixedBackOff.java")
add("dead_letter", "2026-11-30T17:03:12.871Z ERROR 1 --- [ntainer#1-0-C-1] o.s.k.l.DefaultErrorHandler              : Backoff FixedBackOff{interval=1000, currentAttempts=4, maxAttempts=3} exhausted for payments-2@18844\n\norg.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed\n\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.decorateException(KafkaMessageListenerContainer.java:2996)",
    f"{SPRING} {SK}/listener/FailedRecordTracker.java; Spring Boot console layout")
add("dead_letter", j({"@timestamp": "2026-11-30T17:05:30.004Z", "level": "ERROR", "logger_name": "org.springframework.kafka.listener.DeadLetterPublishingRecoverer", "message": "Dead-letter publication to orders.DLT failed for: orders-3@1822", "stack_trace": "org.apache.kafka.common.errors.TimeoutException: Topic orders.DLT not present in metadata after 60000 ms.\n"}),
    f"{SPRING} {SK}/listener/DeadLetterPublishingRecoverer.java (pubFailMessage)", ["timeout"])
add("dead_letter", "2026-11-30 17:06:02.117 ERROR 1 --- [ntainer#0-0-C-1] o.s.k.l.DeadLetterPublishingRecoverer    : Dead-letter publication to invoices-dlt failed for: invoices-0@77\n\norg.apache.kafka.common.errors.RecordTooLargeException: The message is 1358223 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.",
    f"{SPRING} {SK}/listener/DeadLetterPublishingRecoverer.java (pubFailMessage)")
add("dead_letter", "2026-11-30T17:08:44.930Z ERROR 1 --- [etry-2-0-C-1] k.r.DeadLetterPublishingRecovererFactory : Record: topic = orders-retry-2, partition = 0, offset = 17, main topic = orders threw an error at topic orders-retry-2 and won't be retried. Sending to DLT with name orders-dlt.\n\norg.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed",
    f"{SPRING} {SK}/retrytopic/DeadLetterPublishingRecovererFactory.java (maybeLogListenerException)")
add("dead_letter", j({"@timestamp": "2026-11-30T17:08:45.002Z", "level": "INFO", "logger_name": "org.springframework.kafka.retrytopic.RetryTopicConfigurer", "message": "Received message in dlt listener: orders-dlt-0@17"}),
    f"{SPRING} {SK}/retrytopic/RetryTopicConfigurer.java (LoggingDltListenerHandlerMethod)")
add("dead_letter", "2026-11-30 17:10:11,045 DEBUG [org.springframework.kafka.listener.DeadLetterPublishingRecoverer] (kafka-producer-network-thread | producer-1) Successful dead-letter publication: ledger-events-5@90211 to ledger-events.DLT-5@118",
    f"{SPRING} {SK}/listener/DeadLetterPublishingRecoverer.java (publish)")
# RabbitMQ server dead-letter losses
add("dead_letter", cap("rabbitmq-3.10.8-plain.log", r"Message dropped\. Dead-letter queues cycle detected"), RMQ_CAP + "pika_dlx_server_warnings.py; text in " + RMQ + " deps/rabbit/src/rabbit_dead_letter.erl")
add("dead_letter", cap("rabbitmq-3.10.8-json.log", r"Message dropped\. Dead-letter queues cycle detected"), RMQ_CAP + "pika_dlx_server_warnings2.py (json formatter)")
add("dead_letter", cap("rabbitmq-3.10.8-plain.log", r"Cannot forward any dead-letter messages"), RMQ_CAP + "pika_dlx_server_warnings.py (missing dead-letter exchange); text in " + RMQ + " deps/rabbit/src/rabbit_fifo_dlx_worker.erl")
add("dead_letter", cap("rabbitmq-3.10.8-json.log", r"Cannot forward any dead-letter messages from source quorum queue 'emails.qq'"), RMQ_CAP + "pika_dlx_server_warnings2.py (dead-letter exchange routes nowhere)")
# messages read back from a DLQ: x-death headers written by RabbitMQ
for reason in ("rejected", "expired", "maxlen", "delivery_limit"):
    add("dead_letter", cap("pika_dlx_overflow.out", r"'reason': '%s'" % reason), "captured: RabbitMQ 3.10.8 + pika 1.2.0, /tmp/tailwatch-capture/messaging/pika_dlx_overflow.py (x-death header set by " + RMQ + " deps/rabbit/src/rabbit_dead_letter.erl)")
# NATS JetStream
add("dead_letter", cap("nats_js_max_deliver.out", r"io\.nats\.jetstream\.advisory\.v1\.max_deliver"), "captured: nats-server 2.9.10 JetStream + nats-py 2.16.0 / structlog 26.1.0, /tmp/tailwatch-capture/messaging/nats_js_max_deliver.py")
adv = json.loads(cap("nats_js_max_deliver.out", r"io\.nats\.jetstream\.advisory\.v1\.max_deliver"))["advisory"]
add("dead_letter", j(adv), "captured: nats-server 2.9.10 JetStream advisory payload on $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.worker, /tmp/tailwatch-capture/messaging/nats_js_max_deliver.py")
# job/message frameworks parking failed work
add("dead_letter", j({"@t": "2026-11-30T18:00:12.5531020Z", "@mt": "Moving message '{MessageId}' to the error queue '{ErrorQueue}' because processing failed due to an exception:", "@m": "Moving message '4f1c2b7a-9d3e-4a61-b0c5-af2e00d1c3b9' to the error queue 'error' because processing failed due to an exception:", "@l": "Error", "@x": "System.InvalidOperationException: Invoice 88231 already settled\n   at Billing.SettleInvoiceHandler.Handle(SettleInvoice message, IMessageHandlerContext context) in /src/Billing/SettleInvoiceHandler.cs:line 31", "SourceContext": "NServiceBus.MoveToError"}),
    f"{NSB} src/NServiceBus.Core/Recoverability/MoveToError.cs; Serilog CLEF")
add("dead_letter", "2026-11-30 18:02:40.118 ERROR NServiceBus.MoveToError Moving message 'c07a11d2-6b3f-4e8a-9a1c-b1f2003e8d44' to the error queue 'error' because processing failed due to an exception:\nSystem.TimeoutException: The operation has timed out.\n   at Shipping.BookCarrierHandler.Handle(BookCarrier message, IMessageHandlerContext context)",
    f"{NSB} src/NServiceBus.Core/Recoverability/MoveToError.cs; NLog default layout")
add("dead_letter", j({"ts": "2026-11-30T18:05:01.774Z", "pid": 12, "tid": "owl1xq", "lvl": "INFO", "msg": "Adding dead HardJob job 2647b4fe0a4d8a1f2b6d3e1c", "ctx": {"class": "HardJob", "jid": "2647b4fe0a4d8a1f2b6d3e1c"}}), SIDEKIQ)
add("dead_letter", "INFO 2026-11-30T18:05:44.310Z pid=12 tid=owl1xq class=InvoiceSyncJob jid=b81e0d7c21a4f55e9c3a02d1: Adding dead InvoiceSyncJob job b81e0d7c21a4f55e9c3a02d1", SIDEKIQ.replace("(JSON formatter)", "(Plain formatter)"))
add("dead_letter", "asynq: pid=4121 2026/11/30 18:07:13.220418 WARN: Retry exhausted for task id=8f0a6c1e-2d4b-4b0b-9f7e-5a1c3e2d9b60", ASYNQ)
add("dead_letter", "[2026-11-30 18:09:02] production.ERROR: App\\Jobs\\SyncLedgerEntries has been attempted too many times. {\"exception\":\"[object] (Illuminate\\\\Queue\\\\MaxAttemptsExceededException(code: 0): App\\\\Jobs\\\\SyncLedgerEntries has been attempted too many times. at /var/www/html/vendor/laravel/framework/src/Illuminate/Queue/MaxAttemptsExceededException.php:24)\"}",
    LARAVEL + "; Monolog LineFormatter")
add("dead_letter", "[2026-11-30 18:10:37] production.ERROR: App\\Jobs\\ImportStatement has been attempted too many times or run too long. The job may have previously timed out. {\"exception\":\"[object] (Illuminate\\\\Queue\\\\MaxAttemptsExceededException(code: 0): App\\\\Jobs\\\\ImportStatement has been attempted too many times or run too long. The job may have previously timed out. at /var/www/html/vendor/laravel/framework/src/Illuminate/Queue/Worker.php:714)\"}",
    LARAVEL8 + "; Monolog LineFormatter", ["consumer_lag", "timeout"])

# ============================ benign =========================================================
B = "benign"
add(B, "[2026-11-30 09:20:11,318] INFO [Consumer clientId=consumer-ledger-projector-1, groupId=ledger-projector] Successfully joined group with generation Generation{generationId=58, memberId='consumer-ledger-projector-1-5e0b7a9c-3d21-4f6e-8b1a-0c9d2e7f4a31', protocol='range'} (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (JoinGroupResponseHandler)")
add(B, j({"@timestamp": "2026-11-30T09:20:11.334Z", "level": "INFO", "logger_name": "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "message": "[Consumer clientId=consumer-ledger-projector-1, groupId=ledger-projector] Successfully synced group in generation Generation{generationId=58, memberId='consumer-ledger-projector-1-5e0b7a9c-3d21-4f6e-8b1a-0c9d2e7f4a31', protocol='range'}"}),
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (SyncGroupResponseHandler)")
add(B, "2026-11-30 09:20:11.352  INFO 1 --- [ntainer#0-0-C-1] o.a.k.c.c.internals.ConsumerCoordinator  : [Consumer clientId=consumer-ledger-projector-1, groupId=ledger-projector] Adding newly assigned partitions: ledger-events-0, ledger-events-1, ledger-events-2",
    f"{KAFKA} {KC}/internals/ConsumerRebalanceListenerInvoker.java (invokePartitionsAssigned)")
add(B, "[2026-11-30 09:19:58,004] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Attempt to heartbeat failed since group is rebalancing (org.apache.kafka.clients.consumer.internals.AbstractCoordinator)",
    f"{KAFKA_28} {KC}/internals/AbstractCoordinator.java (HeartbeatResponseHandler, logged at INFO)")
add(B, "[2026-11-30 09:19:58,010] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Revoke previously assigned partitions orders-3, orders-4 (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/ConsumerRebalanceListenerInvoker.java")
add(B, "[2026-11-30 09:19:58,012] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Request joining group due to: group is already rebalancing (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (requestRejoin)")
add(B, "[2026-11-30 09:20:11,360] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Setting offset for partition orders-3 to the committed offset FetchPosition{offset=88213, offsetEpoch=Optional[7], currentLeader=LeaderAndEpoch{leader=Optional[kafka-1:9092 (id: 1 rack: null)], epoch=7}} (org.apache.kafka.clients.consumer.internals.ConsumerUtils)",
    f"{KAFKA} {KC}/internals/ConsumerUtils.java (refreshCommittedOffsets)")
add(B, "[2026-11-30 18:30:00,112] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Member consumer-orders-1-9a0f3c2e-71b4-4d8e-a5c6-2e1b0d9f8c73 sending LeaveGroup request to coordinator kafka-1:9092 (id: 2147483646 rack: null) due to the consumer is being closed (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/AbstractCoordinator.java (close -> maybeLeaveGroup)")
add(B, "[2026-11-30 18:30:00,118] INFO [GroupCoordinator 1]: Member MemberMetadata(memberId=consumer-orders-1-9a0f3c2e-71b4-4d8e-a5c6-2e1b0d9f8c73, groupInstanceId=None, clientId=consumer-orders-1, clientHost=/10.0.4.21, sessionTimeoutMs=45000, rebalanceTimeoutMs=300000, supportedProtocols=List(range, cooperative-sticky)) has left group orders through explicit `LeaveGroup`; client reason: the consumer is being closed (kafka.coordinator.group.GroupCoordinator)",
    f"{KAFKA} core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala (handleLeaveGroup)")
add(B, "[2026-11-30 09:19:55,871] INFO [GroupCoordinator 1]: Preparing to rebalance group orders in state PreparingRebalance with old generation 57 (__consumer_offsets-12) (reason: Adding new member consumer-orders-3-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f with group instance id None; client reason: rebalance failed due to MemberIdRequiredException) (kafka.coordinator.group.GroupCoordinator)",
    f"{KAFKA} core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala (addMemberAndRebalance)")
add(B, "[2026-11-30 09:20:01,002] INFO [GroupCoordinator 1]: Stabilized group orders generation 58 (__consumer_offsets-12) with 3 members (kafka.coordinator.group.GroupCoordinator)",
    f"{KAFKA} core/src/main/scala/kafka/coordinator/group/GroupCoordinator.scala (onCompleteJoin)")
add(B, "2026-11-30 09:20:12.004  INFO 1 --- [-StreamThread-1] org.apache.kafka.streams.KafkaStreams    : stream-client [ledger-app-6f2a1c9e-0b3d-4e5f-9a8b-7c6d5e4f3a2b] State transition from REBALANCING to RUNNING",
    f"{KAFKA} streams/src/main/java/org/apache/kafka/streams/KafkaStreams.java (setState)")
add(B, "2026-11-30 09:20:11.360  INFO 1 --- [ntainer#0-0-C-1] o.s.k.l.KafkaMessageListenerContainer    : ledger-projector: partitions assigned: [ledger-events-0, ledger-events-1, ledger-events-2]",
    f"{SPRING} {SK}/listener/AbstractMessageListenerContainer.java")
add(B, j({"@timestamp": "2026-11-30T17:00:58.771Z", "level": "INFO", "logger_name": "org.springframework.kafka.listener.KafkaMessageListenerContainer", "message": "Record in retry and not yet recovered"}),
    f"{SPRING} {SK}/listener/KafkaMessageListenerContainer.java (RecordInRetryException handling)")
add(B, "consumer-fetch-manager-metrics:records-lag-max:{client-id=perf-consumer-52117}                        : 0.000",
    f"{KAFKA} tools/src/main/java/org/apache/kafka/tools/ToolsUtils.java (printMetrics)")
add(B, j({"level": "debug", "ts": "2026-11-30T12:15:25Z", "logger": "kafka_scaler", "msg": "Kafka scaler: Providing metrics based on totalLag 0, topicPartitions 12, threshold 100", "type": "ScaledObject", "namespace": "payments", "name": "payments-consumer"}),
    KEDA)
add(B, cap("rdkafka_debug_benign.out", r"max\.poll\.interval\.ms = 300000"), RDK_CAP + "rdkafka_debug_benign.py (debug=conf)")
add(B, cap("rdkafka_debug_benign.out", r"initiating rebalance \(NONE\)"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp)")
add(B, cap("rdkafka_debug_benign.out", r"initiating rebalance \(EAGER\).*unsubscribe"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp, close)")
add(B, cap("rdkafka_debug_benign.out", r"cgrp auto commit timer: returned: Success"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp)")
add(B, cap("rdkafka_debug_benign.out", r"\|HEARTBEAT\|"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp)")
add(B, cap("rdkafka_debug_benign.out", r"JoinGroup response: GenerationId"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp)")
add(B, '2026-11-30 09:31:02,114 INFO ledger.lag - librdkafka partition stats {"partition": 0, "fetch_state": "active", "committed_offset": 60000, "hi_offset": 60000, "ls_offset": 60000, "consumer_lag": 0, "consumer_lag_stored": 0}',
    RDK_CAP + "kafka_python_lag_metrics.py librdkafka after the backlog was drained (statistics JSON fields of librdkafka STATISTICS.md)")
add(B, "[sarama] 2026/11/30 13:05:10 consumer/broker/3 added subscription to ledger-events/7",
    f"{SARAMA} consumer.go (subscriptionManager)")
add(B, "[INFO] heartbeat errored; group: ledger-projector, err: REBALANCE_IN_PROGRESS: The group is rebalancing, so a rejoin is needed.",
    f"{FRANZ} pkg/kgo/consumer_group.go (heartbeat errored, INFO) + pkg/kerr/kerr.go (RebalanceInProgress)")
add(B, "[INFO] sync failed with RebalanceInProgress, rejoining; group: ledger-projector",
    f"{FRANZ} pkg/kgo/consumer_group.go")
add(B, "[INFO] new group session begun; group: ledger-projector, added: map[ledger-events:[0 1 2]], lost: map[]",
    f"{FRANZ} pkg/kgo/consumer_group.go (setupAssignedAndHeartbeat)")
# RabbitMQ benign
add(B, cap("rabbitmq-3.10.8-plain.log", r"Running boot step rabbit_fifo_dlx_sup"), RMQ_CAP + "server start")
add(B, cap("rabbitmq-3.10.8-plain.log", r"started rabbit_fifo_dlx_worker"), RMQ_CAP + "pika_dlx_server_warnings.py (quorum queue dead-letter worker started, debug level)")
add(B, cap("rabbitmq-3.10.8-json.log", r"accepting AMQP connection"), RMQ_CAP + "json formatter")
add(B, cap("pika_ack_timeout.out", r"Created channel=1"), "captured: RabbitMQ 3.10.8 + pika 1.2.0, /tmp/tailwatch-capture/messaging/pika_ack_timeout.py")
add(B, cap("pika_dlx_overflow.out", r"qq delivery .*x-delivery-count=1"), "captured: RabbitMQ 3.10.8 quorum queue redelivery with x-delivery-count below x-delivery-limit, pika 1.2.0, /tmp/tailwatch-capture/messaging/pika_dlx_overflow.py")
# NATS benign
add(B, cap("nats-server-2.9.10-run2.log", r"Starting JetStream"), NATS_CAP + "server start")
add(B, cap("nats-server-2.9.10-run2.log", r"Using configuration file"), NATS_CAP + "server start (config with write_deadline and max_pending)")
add(B, cap("nats_js_advisories_benign.out", r"consumer_action"), "captured: nats-server 2.9.10 JetStream + nats-py 2.16.0 / structlog, /tmp/tailwatch-capture/messaging/nats_js_advisories_benign.py")
add(B, cap("nats_js_advisories_benign.out", r"acked after redelivery"), "captured: nats-server 2.9.10 JetStream + nats-py 2.16.0 / structlog, /tmp/tailwatch-capture/messaging/nats_js_advisories_benign.py (redelivery acked, below max_deliver)")
add(B, cap("nats_js_max_deliver.out", r"fetch returned no messages"), "captured: nats-server 2.9.10 JetStream + nats-py 2.16.0 / structlog, /tmp/tailwatch-capture/messaging/nats_js_max_deliver.py")
# Redis-backed queues benign
add(B, cap("taskiq_redis_autoclaim.out", r"Found 0 pending messages"), TASKIQ)
add(B, cap("taskiq_redis_autoclaim.out", r"Starting fetching unacknowledged messages"), TASKIQ)
# job frameworks benign
add(B, j({"@t": "2026-11-30T17:59:58.0012231Z", "@mt": "Immediate Retry is going to retry message '{MessageId}' because of an exception:", "@m": "Immediate Retry is going to retry message '4f1c2b7a-9d3e-4a61-b0c5-af2e00d1c3b9' because of an exception:", "@l": "Information", "@x": "System.InvalidOperationException: Invoice 88231 is locked\n   at Billing.SettleInvoiceHandler.Handle(SettleInvoice message, IMessageHandlerContext context)", "SourceContext": "NServiceBus.ImmediateRetry"}),
    f"{NSB} src/NServiceBus.Core/Recoverability/ImmediateRetry.cs")
add(B, "2026-11-30 17:59:59.140 WARN NServiceBus.DelayedRetry Delayed Retry will reschedule message '4f1c2b7a-9d3e-4a61-b0c5-af2e00d1c3b9' after a delay of 00:00:10 because of an exception:\nSystem.InvalidOperationException: Invoice 88231 is locked\n   at Billing.SettleInvoiceHandler.Handle(SettleInvoice message, IMessageHandlerContext context)",
    f"{NSB} src/NServiceBus.Core/Recoverability/DelayedRetry.cs")
add(B, cap("rdkafka_debug_benign.out", r"manual: returned: Local: No offset stored"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp, nothing new to commit)")
add(B, "[2026-11-30 09:20:11,355] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Found no committed offset for partition orders-5 (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (fetchCommittedOffsets)")
add(B, "[2026-11-30 09:20:11,371] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Resetting offset for partition orders-5 to position FetchPosition{offset=0, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{leader=Optional[kafka-2:9092 (id: 2 rack: null)], epoch=4}}. (org.apache.kafka.clients.consumer.internals.SubscriptionState)",
    f"{KAFKA} {KC}/internals/SubscriptionState.java (maybeSeekUnvalidated)")
add(B, "[2026-11-30 09:20:11,301] INFO [Consumer clientId=consumer-orders-1, groupId=orders] Finished assignment for group at generation 58: {consumer-orders-1-9a0f3c2e-71b4-4d8e-a5c6-2e1b0d9f8c73=Assignment(partitions=[orders-0, orders-1, orders-2]), consumer-orders-2-0b7e1d4c-2a3f-4e5d-9c8b-7a6f5e4d3c2b=Assignment(partitions=[orders-3, orders-4, orders-5])} (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)",
    f"{KAFKA} {KC}/internals/ConsumerCoordinator.java (onLeaderElected)")
add(B, cap("rdkafka_debug_benign.out", r"assignment operations done in join-state steady \(rebalance rejoin=false\)"), RDK_CAP + "rdkafka_debug_benign.py (debug=cgrp)")

with open(OUT, "w", encoding="utf-8") as fh:
    for e in E:
        fh.write(json.dumps(e, ensure_ascii=False) + "\n")
cats = {}
for e in E: cats[e["category"]] = cats.get(e["category"], 0) + 1
print(OUT, cats)
