#!/usr/bin/env python3
"""Builds /tmp/tailwatch-capture/corpus/memory.jsonl from the captures in this folder and from message
texts read in the cited sources. Captured text is read from the *.out / *.log files here, so
the wording is exactly what the software wrote; envelopes (JSON loggers, journal, CRI, Docker)
wrap it the way those writers do. Numbers, names, pids and timestamps vary."""
import json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
CAP = "/tmp/tailwatch-capture/memory"
OUT = "/tmp/tailwatch-capture/corpus/memory.jsonl"


def cap(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def lines(name):
    return cap(name).splitlines()


def first_line(name, pattern):
    for l in lines(name):
        if re.search(pattern, l):
            return l
    raise SystemExit(f"{name}: no line matches {pattern!r}")


entries = []


def add(category, line, source, accept=None):
    e = {"category": category, "line": line, "source": source}
    if accept:
        e["accept"] = accept
    entries.append(e)


T = "memory_pressure"
B = "benign"

JDK = "captured: OpenJDK 17.0.15 (Debian 17.0.15+6-Debian-1deb12u1)"
NODE = "captured: Node.js v20.20.2"
PY = "captured: CPython 3.11.7"
PG = "captured: PostgreSQL 15.20 (Debian 15.20-0+deb12u1)"
MDB = "captured: MariaDB 10.11.19-MariaDB-0+deb12u1"
REDIS = "captured: Redis 7.0.15"
KERNEL = "captured: Linux 6.18.44 kernel (memcg v1 limit)"
GO = "captured: Go 1.19.8 runtime"

# ---------------------------------------------------------------- JVM (trouble)
heap = cap("java_heap.out").rstrip("\n")
add(T, heap, f"{JDK}, {CAP}/Grow.java (java -Xmx16m Grow.java heap)")
add(T, json.dumps({"@timestamp": "2026-11-22T08:14:03.512+01:00", "@version": "1",
                   "message": "java.lang.OutOfMemoryError: Java heap space",
                   "logger_name": "org.axonframework.eventhandling.TrackingEventProcessor",
                   "thread_name": "EventProcessor[ledger-projection]-0", "level": "ERROR", "level_value": 40000,
                   "stack_trace": "java.lang.OutOfMemoryError: Java heap space\n\tat Grow.main(Grow.java:9)\n"}),
    f"{JDK}, {CAP}/Grow.java (exception text; logstash-logback JSON envelope)")
gco = "\n".join(lines("java_gcoverhead.out"))
add(T, gco, f"{JDK}, {CAP}/Grow.java (java -Xmx16m -XX:+UseParallelGC Grow gcoverhead)")
add(T, json.dumps({"@timestamp": "2026-11-22T03:02:11.904Z", "@version": "1",
                   "message": "java.lang.OutOfMemoryError: GC overhead limit exceeded",
                   "logger_name": "com.example.ledger.ReplayService", "thread_name": "replay-1",
                   "level": "ERROR", "level_value": 40000,
                   "stack_trace": "java.lang.OutOfMemoryError: GC overhead limit exceeded\n\tat java.base/java.lang.StringConcatHelper.newString(StringConcatHelper.java:387)\n\tat Grow.main(Grow.java:10)\n"}),
    f"{JDK}, {CAP}/Grow.java (exception text; logstash-logback JSON envelope)")
meta = "\n".join(lines("java_metaspace.out")[:5])
add(T, meta, f"{JDK}, {CAP}/Meta.java (java -XX:MaxMetaspaceSize=16m Meta)")
add(T, json.dumps({"@timestamp": "2026-11-22T09:40:00.017Z", "@version": "1",
                   "message": "java.lang.OutOfMemoryError: Metaspace", "logger_name": "org.springframework.boot.SpringApplication",
                   "thread_name": "main", "level": "ERROR", "level_value": 40000,
                   "stack_trace": "java.lang.OutOfMemoryError: Metaspace\n\tat java.base/java.lang.ClassLoader.defineClass1(Native Method)\n\tat java.base/java.lang.System$2.defineClass(System.java:2320)\n"}),
    f"{JDK}, {CAP}/Meta.java (exception text; logstash-logback JSON envelope)")
thr = "\n".join(l for l in lines("java_threads.out") if not l.startswith("["))
add(T, thr, f"{JDK}, {CAP}/pids_threads.sh (Grow threads under a pids cgroup, pids.max=60)")
add(T, "\n".join(lines("java_direct.out")[:3]),
    f"{JDK}, {CAP}/Grow.java (java -XX:MaxDirectMemorySize=8m Grow direct)")
add(T, json.dumps({"@timestamp": "2026-11-22T11:20:45.330Z", "@version": "1",
                   "message": "java.lang.OutOfMemoryError: Direct buffer memory",
                   "logger_name": "io.netty.channel.DefaultChannelPipeline", "thread_name": "nioEventLoopGroup-3-2",
                   "level": "WARN", "level_value": 30000,
                   "stack_trace": "java.lang.OutOfMemoryError: Direct buffer memory\n\tat java.nio.Bits.reserveMemory(Bits.java:658)\n\tat java.nio.DirectByteBuffer.<init>(DirectByteBuffer.java:123)\n\tat java.nio.ByteBuffer.allocateDirect(ByteBuffer.java:311)\n"}),
    "openjdk/jdk7u@3b8d706a7ff42d16b744a34e0cd141fbf8bc3913 jdk/src/share/classes/java/nio/Bits.java (throw new OutOfMemoryError(\"Direct buffer memory\")); logstash-logback JSON envelope")
add(T, cap("java_array.out").rstrip("\n"), f"{JDK}, {CAP}/Grow.java (java -Xmx64m Grow array)")
add(T, "# There is insufficient memory for the Java Runtime Environment to continue.",
    f"{JDK}, {CAP}/hs_err.sh (hs_err_insufficient_memory.log)")
add(T, first_line("hs_err_insufficient_memory.log", r"^# Native memory allocation"),
    f"{JDK}, {CAP}/hs_err.sh (hs_err_insufficient_memory.log)")
add(T, first_line("hs_err_insufficient_memory.log", r"Out of Memory Error \("),
    f"{JDK}, {CAP}/hs_err.sh (hs_err_insufficient_memory.log)")
add(T, first_line("java_g1_gcoverhead.out", r"To-space exhausted"),
    f"{JDK}, {CAP}/Grow.java (java -Xmx64m -XX:+UseG1GC -Xlog:gc,gc+heap=info Grow gcoverhead)")
add(T, "[2026-11-22T08:00:01.118+0000][info][gc] GC(231) To-space exhausted",
    f"{JDK}, {CAP}/Grow.java (-Xlog:gc with time decoration; java_g1_gcoverhead.out)")
add(T, cap("java_exit_on_oom.out").strip(), f"{JDK}, {CAP}/jvm_more.sh (-XX:+ExitOnOutOfMemoryError)")
add(T, lines("java_crash_on_oom.out")[0], f"{JDK}, {CAP}/jvm_more.sh (-XX:+CrashOnOutOfMemoryError)")
add(T, first_line("java_crash_on_oom.out", r"fatal error: OutOfMemory encountered"),
    f"{JDK}, {CAP}/jvm_more.sh (-XX:+CrashOnOutOfMemoryError)", accept=["panic"])
add(T, lines("java_heapdump.out")[0], f"{JDK}, {CAP}/jvm_more.sh (-XX:+HeapDumpOnOutOfMemoryError prints the error before the dump)")

# ---------------------------------------------------------------- V8 / Node (trouble)
add(T, first_line("node_heap.out", r"^FATAL ERROR"), f"{NODE}, {CAP}/grow.js (node --max-old-space-size=32)")
add(T, first_line("node_heap_big.out", r"^FATAL ERROR"), f"{NODE}, {CAP}/grow_big.js (node --max-old-space-size=64)")
add(T, "<--- Last few GCs --->", f"{NODE}, {CAP}/grow.js (node_heap.out)")
add(T, json.dumps({"log": first_line("node_heap_big.out", r"^FATAL ERROR") + "\n", "stream": "stderr",
                   "time": "2026-11-22T08:01:12.443871002Z"}),
    f"{NODE}, {CAP}/grow_big.js (Docker json-file envelope)")
add(T, "2026-11-22T08:01:12.443871002Z stderr F " + first_line("node_heap.out", r"^FATAL ERROR"),
    f"{NODE}, {CAP}/grow.js (CRI envelope)")
add(T, "\n".join(lines("node_abuf.out")[:4]), f"{NODE}, {CAP}/abuf.js (ulimit -v 3000000)")
add(T, lines("pino_abuf.out")[0], f"{NODE} + pino 10, {CAP}/pino_oom.sh (pino_abuf.out)")
add(T, lines("pino_abuf.out")[1], f"{NODE} + pino 10, {CAP}/pino_oom.sh (pino_abuf.out)")

# ---------------------------------------------------------------- Go (trouble)
gob = lines("go_oom_big.out")
add(T, "\n".join(gob[:8]), f"{GO}, {CAP}/go_oom_big.go (40 GiB slice refused by the overcommit heuristic)", accept=["panic"])
go = lines("go_oom.out")
add(T, first_line("go_oom.out", r"^runtime: out of memory: cannot allocate"), f"{GO}, {CAP}/go_oom.go (ulimit -v 1000000)")
i = next(k for k, l in enumerate(go) if l.startswith("fatal error:"))
add(T, "\n".join(go[i:i + 6]), f"{GO}, {CAP}/go_oom.go (ulimit -v 1000000)", accept=["panic"])
add(T, "fatal error: runtime: cannot allocate memory\n\ngoroutine 1 [running]:\nruntime.throw({0x4a1c2e?, 0x0?})\n\t/usr/local/go/src/runtime/panic.go:1047 +0x5d",
    "golang/go@go1.19.8 src/runtime/malloc.go (persistentalloc1: throw(\"runtime: cannot allocate memory\"))", accept=["panic"])
add(T, json.dumps({"level": "error", "ts": 1795334400.123456, "caller": "snapshot/export.go:88",
                   "msg": "pg_dump failed", "error": "fork/exec /usr/bin/pg_dump: cannot allocate memory"}),
    "golang/go@go1.19.8 src/os/exec_posix.go (PathError Op \"fork/exec\") + src/syscall/zerrors_linux_amd64.go (ENOMEM \"cannot allocate memory\"); zap JSON envelope")

# ---------------------------------------------------------------- Python (trouble)
add(T, cap("py_plain.out").rstrip("\n"), f"{PY}, {CAP}/py_memerror.sh (plain, ulimit -v 400000)")
add(T, cap("py_plain_grow.out").rstrip("\n"), f"{PY}, {CAP}/py_memerror.sh (plain_grow)")
add(T, cap("py_jsonlogger.out").strip(), f"{PY} + python-json-logger 4.2.0, {CAP}/py_memerror.sh (jsonlogger)")
add(T, cap("py_structlog.out").strip(), f"{PY} + structlog 26.1.0, {CAP}/py_memerror.sh (structlog dict_tracebacks)")
add(T, cap("py_structlog_plain_exc.out").strip(), f"{PY} + structlog 26.1.0, {CAP}/py_memerror.sh (structlog format_exc_info)")

# ---------------------------------------------------------------- Rust (trouble)
add(T, lines("rust_oom.out")[0], f"captured: rustc 1.95.0 std, {CAP}/rust_oom.rs (ulimit -v 400000)")
add(T, json.dumps({"log": "memory allocation of 8589934592 bytes failed\n", "stream": "stderr",
                   "time": "2026-11-22T07:59:58.001234567Z"}),
    f"captured: rustc 1.95.0 std, {CAP}/rust_oom.rs (message; Docker json-file envelope)")

# ---------------------------------------------------------------- .NET (trouble)
RESX = "dotnet/runtime@67b303a910449fea88f402e47ff7f1f946277c05 src/libraries/System.Private.CoreLib/src/Resources/Strings.resx"
add(T, json.dumps({"Timestamp": "2026-11-22T08:05:13.2201930Z", "EventId": 0, "LogLevel": "Error",
                   "Category": "Microsoft.Extensions.Hosting.Internal.Host",
                   "Message": "BackgroundService failed",
                   "Exception": "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n   at System.Text.StringBuilder.ExpandByABlock(Int32 minBlockCharCount)\n   at System.Text.StringBuilder.Append(Char* value, Int32 valueCount)",
                   "State": {"Message": "BackgroundService failed", "{OriginalFormat}": "BackgroundService failed"}}),
    f"{RESX} (Exception_WasThrown \"Exception of type '{{0}}' was thrown.\"); .NET console JSON formatter envelope")
add(T, json.dumps({"@t": "2026-11-22T08:05:14.0031122Z", "@mt": "Projection {Projection} crashed",
                   "@l": "Fatal", "@x": "System.OutOfMemoryException: Insufficient memory to continue the execution of the program.\n   at System.GC.AllocateNewArray(IntPtr typeHandle, Int32 length, GC_ALLOC_FLAGS flags)",
                   "Projection": "AccountBalances"}),
    f"{RESX} (Arg_OutOfMemoryException); Serilog CLEF envelope")
add(T, json.dumps({"Timestamp": "2026-11-22T08:07:00.0000000Z", "EventId": 0, "LogLevel": "Warning",
                   "Category": "Ledger.Snapshots.SnapshotWriter", "Message": "Snapshot skipped",
                   "Exception": "System.InsufficientMemoryException: Insufficient available memory to meet the expected demands of an operation at this time.  Please try again later.\n   at System.Runtime.MemoryFailPoint..ctor(Int32 sizeInMegabytes)"}),
    f"{RESX} (InsufficientMemory_MemFailPoint); .NET console JSON formatter envelope")

# ---------------------------------------------------------------- Linux kernel OOM killer (trouble)
mc = lines("cgroup_oom.dmesg.txt")
jm = lines("java_memcg.dmesg.txt")
add(T, next(l for l in mc if "invoked oom-killer" in l), f"{KERNEL}, {CAP}/cgroup_oom.sh (python3 alloc.py in a 64 MiB memcg)")
add(T, next(l for l in jm if "oom-kill:constraint" in l), f"{KERNEL}, {CAP}/cgroup_oom.sh (java in a 128 MiB memcg)")
add(T, next(l for l in jm if "Memory cgroup out of memory: Killed process" in l), f"{KERNEL}, {CAP}/cgroup_oom.sh (java in a 128 MiB memcg)")
k = next(l for l in mc if "Memory cgroup out of memory: Killed process" in l)
add(T, "Nov 22 08:00:01 node-3 kernel: " + re.sub(r"^\[[ 0-9.]+\] ", "", k),
    f"{KERNEL}, {CAP}/cgroup_oom.sh (message; syslog/journal short envelope)")
add(T, "Nov 22 08:00:01 node-3 kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0",
    f"torvalds/linux@c797bc88f77b51c4ba0b5d782b8284c7ed0233bc mm/oom_kill.c (\"Out of memory\" message for a non-memcg OOM) + {KERNEL} (\"%s: Killed process\" format)")
add(T, "[2345678.123456] Out of memory: Kill process 31337 (java) score 912 or sacrifice child",
    "torvalds/linux@c797bc88f77b51c4ba0b5d782b8284c7ed0233bc mm/oom_kill.c (\"%s: Kill process %d (%s) score %u or sacrifice child\")")
add(T, "[2345678.124001] Killed process 31337 (java) total-vm:16384000kB, anon-rss:12001234kB, file-rss:2048kB, shmem-rss:0kB",
    "torvalds/linux@c797bc88f77b51c4ba0b5d782b8284c7ed0233bc mm/oom_kill.c (\"Killed process %d (%s) total-vm:%lukB, anon-rss:...\")")
add(T, json.dumps({"__REALTIME_TIMESTAMP": "1795334401000000", "_TRANSPORT": "kernel", "PRIORITY": "6",
                   "SYSLOG_IDENTIFIER": "kernel", "_HOSTNAME": "node-3",
                   "MESSAGE": re.sub(r"^\[[ 0-9.]+\] ", "", next(l for l in jm if "invoked oom-killer" in l))}),
    f"{KERNEL}, {CAP}/cgroup_oom.sh (message; journalctl -o json envelope)")
add(T, "/sys/fs/cgroup/system.slice/ledger-projector.service/memory.events:oom_kill 3",
    f"{KERNEL}, {CAP}/cgroup_oom.sh (memory.oom_control prints \"oom_kill 1\"; cgroup v2 memory.events uses the same \"oom_kill %lu\" key, mm/memcontrol.c); grep -H output")

# ---------------------------------------------------------------- systemd (trouble)
RHEL9 = "redhat-plumbers/systemd-rhel9@77567a88f1d9767fed57ad520d9ff1956f3401c6"
add(T, "Nov 22 08:00:00 node-3 systemd-oomd[581]: Killed /system.slice/ledger-projector.service due to memory pressure for /system.slice being 85.20% > 80.00% for > 20s with reclaim activity",
    f"{RHEL9} src/oom/oomd-manager.c")
add(T, "Nov 22 08:00:00 node-3 systemd-oomd[581]: Marked /user.slice/user-1000.slice/user@1000.service/app.slice/app-ledger.scope for killing due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 60.13% > 50.00% for > 20s with reclaim activity",
    "systemd/systemd@00a99cb427b0f935bc572c0e9637253f64722ff3 src/oom/oomd-manager.c")
add(T, "Nov 22 08:00:00 node-3 systemd-oomd[581]: Killed /system.slice/ledger-api.service due to memory used (24101187584) / total (25232949248) and swap used (3865470566) / total (4294963200) being more than 90.00%",
    f"{RHEL9} src/oom/oomd-manager.c")
add(T, "Nov 22 08:00:00 node-3 systemd[1]: ledger-projector.service: systemd-oomd killed 19 process(es) in this unit.",
    f"{RHEL9} src/core/cgroup.c")
add(T, "Nov 22 08:00:01 node-3 systemd[1]: ledger-api.service: A process of this unit has been killed by the OOM killer.",
    f"{RHEL9} src/core/cgroup.c")
add(T, "Nov 22 08:00:01 node-3 systemd[1]: ledger-api.service: Failed with result 'oom-kill'.",
    f"{RHEL9} src/core/unit.c (\"Failed with result '%s'.\") + src/core/service.c (SERVICE_FAILURE_OOM_KILL = \"oom-kill\")")

# ---------------------------------------------------------------- Kubernetes (trouble)
K8S_H = "kubernetes/kubernetes@008b3652959ca58af8be3fb5b6ecfe9ae7638282 pkg/kubelet/eviction/helpers.go"
K8S_M = "kubernetes/kubernetes@0239cd73842a07dedf025bc1c93e1b62002cd0aa pkg/kubelet/eviction/eviction_manager.go"
add(T, 'I1122 08:00:00.123456    1234 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="memory"', K8S_M)
add(T, 'I1122 08:00:00.130010    1234 eviction_manager.go:377] "Eviction manager: must evict pod(s) to reclaim" resourceName="memory"', K8S_M)
add(T, json.dumps({"kind": "Event", "apiVersion": "v1", "reason": "Evicted", "type": "Warning",
                   "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91388Ki. Container ledger-api was using 1948312Ki, request is 512Mi, has larger consumption of memory. ",
                   "involvedObject": {"kind": "Pod", "namespace": "ledger", "name": "ledger-api-7d9c5b6f4-x2x9k"},
                   "source": {"component": "kubelet", "host": "node-3"}, "lastTimestamp": "2026-11-22T08:00:02Z"}),
    f"{K8S_H} (Reason \"Evicted\", nodeLowMessageFmt, thresholdMetMessageFmt, containerMessageFmt); event JSON")
add(T, "12s         Warning   Evicted              pod/ledger-projector-6f8b9c7d5-qq7mz   The node was low on resource: memory. Threshold quantity: 100Mi, available: 88200Ki. ",
    f"{K8S_H}; kubectl get events row")
add(T, "6m57s       Warning   EvictionThresholdMet   node/node-3   Attempting to reclaim memory", f"{K8S_M} (Eventf EvictionThresholdMet \"Attempting to reclaim %s\"); kubectl get events row")
add(T, "  Warning  SystemOOM  6m57s  kubelet  System OOM encountered, victim process: java, pid: 3419",
    "kubernetes/kubernetes@054d429d9f8bc8de4fc82e6cf2281e12a13fe1f2 pkg/kubelet/oom/oom_watcher_linux.go; kubectl describe node events row")
add(T, "  Normal   NodeHasInsufficientMemory  2m (x3 over 9m)  kubelet  Node node-3 status is now: NodeHasInsufficientMemory",
    "kubernetes/kubernetes@00267ac822c2df40bab2e223873f2b76864c5f3d pkg/kubelet/nodestatus/setters.go (\"NodeHasInsufficientMemory\") + kubelet recordNodeStatusEvent \"Node %s status is now: %s\"")
add(T, 'Nov 22 08:00:03 node-3 containerd[2723]: time="2026-11-22T08:00:03.578084676Z" level=info msg="TaskOOM event container_id:\\"9192cb33411ff69d015a3577db136757f5b145064a1703efea3d0e12e8a64987\\""',
    "containerd/containerd@03320ca2eedb71b23d95664a674d18110309d10a internal/cri/server/events.go (log.L.Infof(\"TaskOOM event %+v\", e))")

# ---------------------------------------------------------------- Redis (trouble)
add(T, first_line("redis_cli.out", r"OOM command not allowed").strip().split(" ", 1)[1],
    f"{REDIS}, {CAP}/redis_oom.sh (redis-cli reply)")
add(T, first_line("redis_py.out", r"OutOfMemoryError: command not allowed"),
    f"{REDIS} + redis-py, {CAP}/redis_oom.sh (redis_py.out)")
add(T, cap("pino_redis.out").strip(), f"{REDIS} + ioredis + pino, {CAP}/pino_oom.sh (pino_redis.out)")
add(T, "21754:M 22 Nov 2026 08:00:00.187 # Can't save in background: fork: Cannot allocate memory",
    "redis/redis@4f8cdc2a1ea53e42955af758aabffee67cb455dd src/rdb.c (\"Can't save in background: fork: %s\")")

# ---------------------------------------------------------------- RabbitMQ (trouble)
RMQ = "rabbitmq/rabbitmq-server@5b09e556da53b8473f26843a2493d8460ced8c8e deps/rabbit/src"
add(T, "2026-11-22 08:00:00.123456+00:00 [warning] <0.456.0> memory resource limit alarm set on node rabbit@mq-1.",
    f"{RMQ}/rabbit_alarm.erl (handle_set_resource_alarm)")
add(T, "*** Publishers will be blocked until this alarm clears ***", f"{RMQ}/rabbit_alarm.erl (handle_set_resource_alarm)")
add(T, json.dumps({"time": "2026-11-22 08:00:00.123456+00:00", "level": "warning",
                   "msg": "memory resource limit alarm set on node rabbit@mq-2.\n\n**********************************************************\n*** Publishers will be blocked until this alarm clears ***\n**********************************************************\n",
                   "pid": "<0.456.0>", "domain": "rabbitmq"}),
    f"{RMQ}/rabbit_alarm.erl; RabbitMQ JSON log formatter envelope")
add(T, "2026-11-22 08:00:00.120001+00:00 [info] <0.231.0> vm_memory_high_watermark set. Memory used:7128316368 allowed:6640204185",
    f"{RMQ}/vm_memory_monitor.erl (emit_update_info set)")

# ---------------------------------------------------------------- Elasticsearch (trouble)
ES_H = "elastic/elasticsearch@cc8c7d078d57ed2c9c7e639db29d0464b48e8d36 server/src/main/java/org/elasticsearch/indices/breaker/HierarchyCircuitBreakerService.java"
add(T, json.dumps({"@timestamp": "2026-11-22T08:00:00.321Z", "log.level": "WARN",
                   "message": "path: /ledger-events/_search, params: {index=ledger-events}",
                   "ecs.version": "1.2.0", "service.name": "ES_ECS", "event.dataset": "elasticsearch.server",
                   "process.thread.name": "elasticsearch[es-1][search][T#3]", "log.logger": "rest.suppressed",
                   "error.type": "org.elasticsearch.common.breaker.CircuitBreakingException",
                   "error.message": "[parent] Data too large, data for [<http_request>] would be [1020445144/973.1mb], which is larger than the limit of [1020054732/972.7mb], real usage: [1020444144/973.1mb], new bytes reserved: [1000/1000b], usages [request=0/0b, fielddata=0/0b, in_flight_requests=1000/1000b, model_inference=0/0b, eql_sequence=0/0b, accounting=0/0b]"}),
    f"{ES_H} (buildParentTripMessage); ES ECS JSON log envelope")
add(T, "co.elastic.clients.elasticsearch._types.ElasticsearchException: [es/search] failed: [circuit_breaking_exception] [parent] Data too large, data for [<http_request>] would be [566122900/539.8mb], which is larger than the limit of [510027366/486.3mb], real usage: [369611440/352.4mb], new bytes reserved: [196511460/187.4mb], usages [inflight_requests=196511460/187.4mb, request=0/0b, fielddata=0/0b]",
    f"{ES_H} (buildParentTripMessage); Java API client exception text")
add(T, "org.elasticsearch.common.breaker.CircuitBreakingException: [fielddata] Data too large, data for [_id] would be [1717986918/1.6gb], which is larger than the limit of [1610612736/1.5gb]",
    "elastic/elasticsearch@ce4a9cf8504564ea84a9e05382f4cf1373e56556 server/src/main/java/org/elasticsearch/common/breaker/ChildMemoryCircuitBreaker.java (\"[name] Data too large, data for [field] would be [..], which is larger than the limit of [..]\")")
add(T, "[2026-11-22T08:00:07,001][WARN ][o.e.m.j.JvmGcMonitorService] [es-1] [gc][40512] overhead, spent [3.2s] collecting in the last [3.6s]",
    "elastic/elasticsearch@250da3e3e6e12e88aac8afb83a4bafd857069fc0 server/src/main/java/org/elasticsearch/monitor/jvm/JvmGcMonitorService.java (OVERHEAD_LOG_MESSAGE at WARN)")

# ---------------------------------------------------------------- PostgreSQL (trouble)
pgl = lines("pg_oom.log")
recs = []
for k2, l in enumerate(pgl):
    if " ERROR:  out of memory" in l:
        recs.append("\n".join(pgl[k2:k2 + 3]))
add(T, recs[0], f"{PG}, {CAP}/pg_oom.sh (GROUP BY with work_mem=4GB under ulimit -v)")
add(T, recs[1], f"{PG}, {CAP}/pg_oom.sh (array_agg under ulimit -v)")
add(T, lines("pg_oom.json")[[k3 for k3, l in enumerate(lines('pg_oom.json')) if '"out of memory"' in l][2]],
    f"{PG}, {CAP}/pg_oom.sh (jsonlog)")
add(T, 'ERROR:  out of memory\nDETAIL:  Failed on request of size 20 in memory context "ExecutorState".',
    f"{PG}, {CAP}/pg_oom.sh (psql client output)")

# ---------------------------------------------------------------- MariaDB (trouble)
add(T, first_line("mariadb_err.log", r"Out of sort memory"), f"{MDB}, {CAP}/mariadb_oom.sh (sort_buffer_size=1024)")
add(T, first_line("mariadb_err.log", r"Out of memory \(Needed"), f"{MDB}, {CAP}/mariadb_oom.sh (REPEAT under ulimit -v)")
add(T, "ERROR 1038 (HY001) at line 1: Out of sort memory, consider increasing server sort buffer size",
    f"{MDB}, {CAP}/mariadb_oom.sh (mariadb client output)")
add(T, "ERROR 5 (HY000) at line 1: Out of memory (Needed 41008112 bytes)", f"{MDB}, {CAP}/mariadb_oom.sh (mariadb client output)")

# ---------------------------------------------------------------- application level (trouble)
BES = "mergul/banking-es-feature-redis-integration@5c35cab83d42374cf4ff5c3eaf9d8cb24e6b6c7e src/infrastructure/kafka_tracing.rs (warn!(\"High memory usage: {:.1}GB\"))"
add(T, json.dumps({"timestamp": "2026-11-22T08:00:00.101234Z", "level": "WARN",
                   "fields": {"message": "High memory usage: 1.8GB"},
                   "target": "banking_es::infrastructure::kafka_tracing"}), f"{BES}; tracing-subscriber JSON")
add(T, json.dumps({"timestamp": "2026-11-22T08:05:00.101234Z", "level": "WARN",
                   "fields": {"message": "High memory usage: 3.4GB"},
                   "target": "banking_es::infrastructure::kafka_tracing"}), f"{BES}; tracing-subscriber JSON")
add(T, "2026-11-22T08:10:00.101234Z  WARN banking_es::infrastructure::kafka_tracing: High memory usage: 2.1GB",
    f"{BES}; tracing-subscriber fmt (text)")

# ================================================================ benign (hard)
pauses = lines("java_healthy_pauses.out")
add(B, pauses[1], f"{JDK}, {CAP}/Healthy.java (java -Xmx2g -Xlog:gc Healthy)")
add(B, pauses[3], f"{JDK}, {CAP}/Healthy.java (java -Xmx2g -Xlog:gc Healthy)")
hg = lines("java_healthy_gc.out")
add(B, hg[0].strip(), f"{JDK}, {CAP}/jvm_more.sh (-Xmx2g -XX:+PrintCommandLineFlags)")
add(B, first_line("java_healthy_gc.out", r"Heap Max Capacity"), f"{JDK}, {CAP}/jvm_more.sh (-Xlog:gc*)")
add(B, first_line("java_healthy_gc.out", r"Metaspace\s+used"), f"{JDK}, {CAP}/jvm_more.sh (-Xlog:gc*)")
add(B, first_line("java_healthy_gc.out", r"garbage-first heap"), f"{JDK}, {CAP}/jvm_more.sh (-Xlog:gc*)")
add(B, first_line("java_tool_options.out", r"^Picked up"), f"{JDK}, {CAP}/jvm_more.sh (JAVA_TOOL_OPTIONS)")
add(B, json.dumps({"@timestamp": "2026-11-22T08:00:00.001Z", "@version": "1",
                   "message": "Picked up JAVA_TOOL_OPTIONS: -Xmx2g -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/dumps",
                   "logger_name": "stderr", "level": "INFO", "level_value": 20000}),
    f"{JDK}, {CAP}/jvm_more.sh (JAVA_TOOL_OPTIONS; logstash-logback JSON envelope)")
add(B, lines("node_trace_gc.out")[0], f"{NODE}, {CAP}/healthy.js (node --trace-gc)")
add(B, lines("node_trace_gc.out")[3], f"{NODE}, {CAP}/healthy.js (node --trace-gc)")
add(B, lines("go_gctrace.out")[0], f"{GO}, {CAP}/go_gctrace.go (GODEBUG=gctrace=1)")
add(B, lines("go_gctrace.out")[2], f"{GO}, {CAP}/go_gctrace.go (GODEBUG=gctrace=1)")
add(B, lines("oom_adj.dmesg.txt")[0], f"{KERNEL.replace(' (memcg v1 limit)', '')}, {CAP}/oom_adj.sh")
add(B, "Nov 22 07:12:09 node-3 kernel: OOM killer enabled.",
    "torvalds/linux@c797bc88f77b51c4ba0b5d782b8284c7ed0233bc mm/oom_kill.c (oom_killer_enable)")
add(B, "Nov 22 07:11:58 node-3 kernel: OOM killer disabled.",
    "torvalds/linux@c797bc88f77b51c4ba0b5d782b8284c7ed0233bc mm/oom_kill.c (oom_killer_disable)")
add(B, "/sys/fs/cgroup/system.slice/ledger-projector.service/memory.events:oom_kill 0",
    f"{KERNEL}, {CAP}/cgroup_oom.sh (\"oom_kill %lu\" key); grep -H output")
add(B, "oom_kill_disable 0", f"{KERNEL}, {CAP}/cgroup_oom.sh (memory.oom_control)")
add(B, "Nov 22 07:00:02 node-3 systemd-oomd[581]: Swap is currently not detected; memory pressure usage will be degraded",
    f"{RHEL9} src/oom/oomd.c")
add(B, "Default Memory Pressure Limit: 60.00%", f"{RHEL9} src/oom/oomd-manager.c (manager_get_dump_string, oomctl output)")
add(B, "  Normal   NodeHasSufficientMemory  9m (x8 over 9m)  kubelet  Node node-3 status is now: NodeHasSufficientMemory",
    "kubernetes/kubernetes@00267ac822c2df40bab2e223873f2b76864c5f3d pkg/kubelet/nodestatus/setters.go (\"NodeHasSufficientMemory\")")
add(B, "  MemoryPressure   False   Sun, 22 Nov 2026 08:00:00 +0000   Sun, 22 Nov 2026 06:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
    "kubernetes/kubernetes@00267ac822c2df40bab2e223873f2b76864c5f3d pkg/kubelet/nodestatus/setters.go (KubeletHasSufficientMemory); kubectl describe node row")
add(B, 'I1122 08:00:10.000001    1234 eviction_manager.go:336] "Eviction manager: no resources are starved"', K8S_M)
add(B, first_line("redis_server.log", r"Memory overcommit must be enabled"), f"{REDIS}, {CAP}/redis_oom.sh (redis_server.log)")
add(B, "1:M 22 Nov 2026 07:00:00.001 # WARNING overcommit_memory is set to 0! Background save may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
    "redis/redis@6.2.0 src/server.c (linuxMemoryWarnings)")
add(B, "1:M 22 Nov 2026 07:00:00.002 # Warning: 32 bit instance detected but no memory limit set. Setting 3 GB maxmemory limit with 'noeviction' policy now.",
    "redis/redis@4f8cdc2a1ea53e42955af758aabffee67cb455dd src/server.c")
add(B, first_line("redis_cli.out", r"^maxmemory_human"), f"{REDIS}, {CAP}/redis_oom.sh (INFO memory)")
add(B, first_line("redis_cli.out", r"^maxmemory_policy"), f"{REDIS}, {CAP}/redis_oom.sh (INFO memory)")
add(B, "2026-11-22 08:03:00.001234+00:00 [warning] <0.456.0> memory resource limit alarm cleared on node rabbit@mq-1",
    f"{RMQ}/rabbit_alarm.erl (handle_clear_resource_alarm)")
add(B, "2026-11-22 08:03:00.002001+00:00 [warning] <0.456.0> memory resource limit alarm cleared across the cluster",
    f"{RMQ}/rabbit_alarm.erl (maybe_alert)")
add(B, json.dumps({"time": "2026-11-22 08:03:00.001234+00:00", "level": "warning",
                   "msg": "memory resource limit alarm cleared on node rabbit@mq-2", "pid": "<0.456.0>", "domain": "rabbitmq"}),
    f"{RMQ}/rabbit_alarm.erl; RabbitMQ JSON log formatter envelope")
add(B, "2026-11-22 07:00:00.501234+00:00 [info] <0.231.0> Memory high watermark set to 3200 MiB (3355443200 bytes) of 8000 MiB (8388608000 bytes) total",
    f"{RMQ}/vm_memory_monitor.erl")
add(B, "2026-11-22 08:02:59.990001+00:00 [info] <0.231.0> vm_memory_high_watermark clear. Memory used:6120000000 allowed:6640204185",
    f"{RMQ}/vm_memory_monitor.erl (emit_update_info clear)")
add(B, "[2026-11-22T07:00:01,234][INFO ][o.e.e.NodeEnvironment    ] [es-1] heap size [1gb], compressed ordinary object pointers [true]",
    "elastic/elasticsearch@fb3ff2f33bf75efc6b755c10bf95465c5c12e7bb server/src/main/java/org/elasticsearch/env/NodeEnvironment.java")
add(B, "[2026-11-22T08:00:00,500][INFO ][o.e.i.b.HierarchyCircuitBreakerService] [es-1] GC did bring memory usage down, before [1020444144], after [512345678], allocations [12], duration [34]",
    f"{ES_H} (G1OverLimitStrategy)")
add(B, first_line("pg_benign.log", r'parameter "work_mem" changed'), f"{PG}, {CAP}/pg_benign.sh")
add(B, first_line("pg_benign.log", r'parameter "maintenance_work_mem" changed'), f"{PG}, {CAP}/pg_benign.sh")
add(B, first_line("pg_benign.json", r'work_mem\\" changed'), f"{PG}, {CAP}/pg_benign.sh (jsonlog)")
add(B, first_line("mariadb_err.log", r"innodb_buffer_pool_size_max="), f"{MDB}, {CAP}/mariadb_oom.sh")
add(B, first_line("mariadb_err.log", r"Completed initialization of buffer pool"), f"{MDB}, {CAP}/mariadb_oom.sh")
add(B, first_line("mariadb_err.log", r"Buffer pool\(s\) load completed"), f"{MDB}, {CAP}/mariadb_oom.sh")
add(B, first_line("mariadb_err.log", r"Dumping buffer pool"), f"{MDB}, {CAP}/mariadb_oom.sh")
pgb = lines("pg_benign.log")
kk = next(k for k, l in enumerate(pgb) if "temporary file:" in l)
add(B, "\n".join(pgb[kk:kk + 2]), f"{PG}, {CAP}/pg_benign.sh (log_temp_files = 0, sort past work_mem=64kB)")
add(B, "2026-11-22 07:00:00.500001+00:00 [warning] <0.231.0> Memory high watermark of 1.5 is above the allowed maximum, falling back to 1.0",
    f"{RMQ}/vm_memory_monitor.erl (parse_mem_limit)")
add(B, "Default Memory Pressure Duration: 30s", f"{RHEL9} src/oom/oomd-manager.c (manager_get_dump_string, oomctl output)")
BES_I = "mergul/banking-es-feature-redis-integration@5c35cab83d42374cf4ff5c3eaf9d8cb24e6b6c7e src/infrastructure/kafka_tracing.rs (info!(\"Performance metrics: memory={:.1}MB, cpu={:.1}%, threads={}\"))"
add(B, json.dumps({"timestamp": "2026-11-22T08:00:00.101234Z", "level": "INFO",
                   "fields": {"message": "Performance metrics: memory=512.3MB, cpu=12.0%, threads=24"},
                   "target": "banking_es::infrastructure::kafka_tracing"}), f"{BES_I}; tracing-subscriber JSON")
add(B, "2026-11-22T08:10:00.101234Z  INFO banking_es::infrastructure::kafka_tracing: Performance metrics: memory=1843.0MB, cpu=45.0%, threads=31",
    f"{BES_I}; tracing-subscriber fmt (text)")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    for e in entries:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
nt = sum(1 for e in entries if e["category"] != "benign")
print(f"wrote {len(entries)} entries ({nt} trouble, {len(entries) - nt} benign) to {OUT}")
