#!/bin/bash
# Capture real RabbitMQ 3.10 (Debian 12) log lines: memory alarm set/cleared, consumer ack timeout.
# Re-runnable: own node (capture@localhost) under $BASE; AMQP 127.0.0.1:21672, dist 21673, epmd 21369; runs as user rabbitmq.
set -u
BASE=/tmp/tailwatch-capture/servers/rabbitmq
OUT=/tmp/tailwatch-capture/servers/out
apt-get install -y -q -o DPkg::Lock::Timeout=900 rabbitmq-server python3-pika >/dev/null
mkdir -p "$OUT"
export RABBITMQ_NODENAME=capture@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=21672 \
       RABBITMQ_DIST_PORT=21673 ERL_EPMD_PORT=21369 ERL_EPMD_ADDRESS=127.0.0.1 HOME=$BASE \
       RABBITMQ_MNESIA_BASE=$BASE/mnesia RABBITMQ_LOG_BASE=$BASE/log RABBITMQ_CONFIG_FILE=$BASE/rabbitmq \
       RABBITMQ_ADVANCED_CONFIG_FILE=$BASE/advanced.config RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins \
       RABBITMQ_PID_FILE=$BASE/rabbit.pid RABBITMQ_CONF_ENV_FILE=$BASE/rabbitmq-env.conf
R() { runuser -u rabbitmq --preserve-environment -- "$@"; }
CTL() { R rabbitmqctl -n $RABBITMQ_NODENAME --erlang-cookie "$(cat "$BASE/.erlang.cookie")" "$@"; }
if [ -f "$BASE/.erlang.cookie" ]; then CTL stop >/dev/null 2>&1; R epmd -port 21369 -kill >/dev/null 2>&1; fi
rm -rf "$BASE"; mkdir -p "$BASE/log"
touch "$BASE/rabbitmq-env.conf"; echo '[].' > "$BASE/enabled_plugins"
cat > "$BASE/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:21672
vm_memory_high_watermark.absolute = 40MB
consumer_timeout = 3000
log.file.level = info
log.console = false
CONF
# the consumer timeout is evaluated on the channel tick (60 s by default): make it 1 s
echo '[{rabbit, [{channel_tick_interval, 1000}]}].' > "$BASE/advanced.config"
chown -R rabbitmq:rabbitmq "$BASE"
( R rabbitmq-server >"$BASE/console.out" 2>&1 & )
for i in $(seq 1 60); do [ -s "$BASE/.erlang.cookie" ] && break; sleep 0.5; done
CTL wait --timeout 120 "$BASE/rabbit.pid" >/dev/null 2>&1
sleep 3
CL="$OUT/rabbitmq-client.txt"; : > "$CL"
# 1. the 40MB absolute watermark is below what the node uses: alarm set at boot; publishers blocked
CTL status 2>&1 | grep -A3 -i alarm >>"$CL"
# 2. clear it by raising the watermark, then set it again, then clear
CTL set_vm_memory_high_watermark 0.4 >>"$CL" 2>&1; sleep 3
CTL set_vm_memory_high_watermark absolute 30MB >>"$CL" 2>&1; sleep 3
CTL set_vm_memory_high_watermark 0.6 >>"$CL" 2>&1; sleep 3
# 3. consumer that never acks -> delivery acknowledgement timed out (consumer_timeout 3 s)
/usr/bin/python3 - <<'PY' 2>>"$CL"
import pika, time, sys
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 21672, blocked_connection_timeout=10, client_properties={"connection_name": "projection-consumer"}))
ch = conn.channel()
ch.queue_declare("orders.projection", durable=True)
ch.basic_publish("", "orders.projection", b'{"type":"OrderPlaced","stream":"order-42"}')
ch.basic_qos(prefetch_count=1)
got = []
ch.basic_consume("orders.projection", lambda c, m, p, b: got.append(b), auto_ack=False)
try:
    deadline = time.time() + 10
    while time.time() < deadline:
        conn.process_data_events(time_limit=0.5)
except Exception as e:
    print("client:", type(e).__name__, e, file=sys.stderr)
try: conn.close()
except Exception: pass
# a normal consumer that acks, and a normal close
conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", 21672, client_properties={"connection_name": "healthy-consumer"}))
ch = conn.channel()
m, p, b = ch.basic_get("orders.projection")
if m: ch.basic_ack(m.delivery_tag)
conn.close()
PY
sleep 1
CTL stop >/dev/null 2>&1; sleep 2
R epmd -port 21369 -kill >/dev/null 2>&1
cp "$BASE/log/capture@localhost.log" "$OUT/rabbitmq.log"
dpkg-query -W -f='${Version}\n' rabbitmq-server > "$OUT/rabbitmq.version"
echo "rabbitmq capture done"
