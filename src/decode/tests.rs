//! Each format and envelope, as the software that writes it writes it.

use super::*;

fn d(line: &str) -> Record<'_> {
    decode(line.as_bytes(), Envelope::Raw, None)
}

#[test]
fn tracing_subscriber_json() {
    let r = d(
        r#"{"timestamp":"2026-11-22T08:00:00.000731Z","level":"ERROR","fields":{"message":"Command failed","error":"pool timed out while waiting for an open connection","total_duration_ms":30000},"target":"eventcore::executor","span":{"name":"execute"},"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7"}"#,
    );
    assert_eq!(r.format, Format::TracingJson);
    assert_eq!(r.message.as_deref(), Some("Command failed"));
    assert_eq!(
        r.error.as_deref(),
        Some("pool timed out while waiting for an open connection")
    );
    assert_eq!(r.level, Some(Level::Error));
    assert_eq!(r.target.as_deref(), Some("eventcore::executor"));
    assert_eq!(r.number("total_duration_ms"), Some(30000.0));
    assert_eq!(
        r.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(r.span_id.as_deref(), Some("00f067aa0ba902b7"));
    assert_eq!(
        time::format_rfc3339(r.timestamp.unwrap()),
        "2026-11-22T08:00:00.000Z"
    );
}

#[test]
fn bunyan_and_pino() {
    let r = d(
        r#"{"level":50,"time":1795334400000,"pid":7,"hostname":"api","msg":"query failed","err":{"type":"Error","message":"timeout exceeded when trying to connect","stack":"Error: timeout exceeded when trying to connect\n    at Pool._connect"}}"#,
    );
    assert_eq!(r.format, Format::Bunyan);
    assert_eq!(r.level, Some(Level::Error));
    assert!(r
        .error
        .as_deref()
        .unwrap()
        .contains("timeout exceeded when trying to connect"));
    assert_eq!(
        time::format_rfc3339(r.timestamp.unwrap()),
        "2026-11-22T08:00:00.000Z"
    );
}

#[test]
fn ecs_and_logstash_logback() {
    let ecs = d(
        r#"{"@timestamp":"2026-11-22T08:00:00.000Z","log.level":"error","message":"Request failed","error.type":"java.sql.SQLTransientConnectionException","error.message":"HikariPool-1 - Connection is not available, request timed out after 30000ms.","trace.id":"4bf92f3577b34da6a3ce929d0e0e4736","ecs.version":"1.6.0"}"#,
    );
    assert_eq!(ecs.format, Format::Ecs);
    assert_eq!(ecs.level, Some(Level::Error));
    assert!(ecs
        .error
        .as_deref()
        .unwrap()
        .contains("Connection is not available"));
    assert_eq!(
        ecs.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    let logback = d(
        r#"{"@timestamp":"2026-11-22T09:00:00.000+01:00","@version":"1","message":"Consumer poll timeout has expired","logger_name":"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator","level":"WARN","stack_trace":"org.apache.kafka.common.errors.TimeoutException"}"#,
    );
    assert_eq!(logback.format, Format::Ecs);
    assert_eq!(logback.level, Some(Level::Warn));
    assert_eq!(
        logback.target.as_deref(),
        Some("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator")
    );
    assert_eq!(
        logback.error.as_deref(),
        Some("org.apache.kafka.common.errors.TimeoutException")
    );
}

#[test]
fn serilog_clef_renders_its_template() {
    let r = d(
        r#"{"@t":"2026-11-22T08:00:00.0000000Z","@mt":"Projection {Projection} is {Lag:N0} seconds behind","@l":"Warning","Projection":"user_summary","Lag":420,"@x":"System.TimeoutException: The operation has timed out."}"#,
    );
    assert_eq!(r.format, Format::Clef);
    assert_eq!(
        r.message.as_deref(),
        Some("Projection user_summary is 420 seconds behind")
    );
    assert_eq!(r.level, Some(Level::Warn));
    assert!(r
        .error
        .as_deref()
        .unwrap()
        .contains("The operation has timed out"));
    let info = d(r#"{"@t":"2026-11-22T08:00:00Z","@m":"{{literal}} text"}"#);
    assert_eq!(info.level, Some(Level::Info));
    assert_eq!(info.message.as_deref(), Some("{{literal}} text"));
}

#[test]
fn zap_and_slog() {
    let zap = d(
        r#"{"level":"error","ts":1795334400.5,"caller":"db/pool.go:88","msg":"acquire failed","error":"failed to connect to `host=db user=app`: server error (FATAL: sorry, too many clients already (SQLSTATE 53300))"}"#,
    );
    assert_eq!(zap.format, Format::Zap);
    assert_eq!(zap.level, Some(Level::Error));
    assert!(zap.error.as_deref().unwrap().contains("53300"));
    let slog = d(
        r#"{"time":"2026-11-22T08:00:00.1+00:00","level":"WARN","msg":"slow consumer","lag":52000}"#,
    );
    assert_eq!(slog.format, Format::Zap);
    assert_eq!(slog.number("lag"), Some(52000.0));
}

#[test]
fn postgresql_jsonlog() {
    let r = d(
        r#"{"timestamp":"2026-11-22 08:00:00.123 UTC","user":"app","dbname":"bank","pid":4242,"error_severity":"ERROR","state_code":"40P01","message":"deadlock detected","detail":"Process 4242 waits for ShareLock on transaction 1001; blocked by process 4243.","backend_type":"client backend"}"#,
    );
    assert_eq!(r.format, Format::PgJsonlog);
    assert_eq!(r.level, Some(Level::Error));
    assert_eq!(r.message.as_deref(), Some("deadlock detected"));
    assert_eq!(
        r.field(&FieldRef::Path("state_code".into())).as_deref(),
        Some("40P01")
    );
    assert!(r.timestamp.is_some());
}

#[test]
fn other_json_through_usual_spellings() {
    let r = d(
        r#"{"msg_id":1,"message":"worker stopped","exception":"java.lang.OutOfMemoryError: Java heap space","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}"#,
    );
    assert_eq!(r.format, Format::OtherJson);
    assert!(r.error.as_deref().unwrap().contains("Java heap space"));
    assert_eq!(
        r.trace_id.as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(r.span_id.as_deref(), Some("00f067aa0ba902b7"));
    // go-zero's logx writes its message as `content`.
    let go_zero = d(
        r#"{"@timestamp":"2026-12-03T10:15:22.481+00:00","caller":"discov/publisher.go:136","content":"etcd publisher KeepAlive: etcdserver: requested lease not found","level":"error"}"#,
    );
    assert_eq!(
        go_zero.message.as_deref(),
        Some("etcd publisher KeepAlive: etcdserver: requested lease not found")
    );
    assert_eq!(go_zero.level, Some(Level::Error));
    // and its own levels for statistics and slow calls.
    let stat = d(
        r#"{"@timestamp":"2026-12-07T10:16:00.001+00:00","caller":"load/sheddingstat.go:61","content":"(api) shedding_stat [1m], cpu: 412, total: 11800, pass: 11800, drop: 0","level":"stat"}"#,
    );
    assert_eq!(stat.level, Some(Level::Info));
    let slow = d(r#"{"content":"[SQL] query: slowcall - select 1","level":"slow"}"#);
    assert_eq!(slow.level, Some(Level::Warn));
    let camel = d(r#"{"message":"x","traceId":"abc","spanId":"def"}"#);
    assert_eq!(
        (camel.trace_id.as_deref(), camel.span_id.as_deref()),
        (Some("abc"), Some("def"))
    );
}

#[test]
fn levels_under_every_common_json_key() {
    // MongoDB 4.4 and later: a severity letter in `s`, the time in
    // `t.$date`, the error among the attributes.
    let mongo = d(
        r#"{"t":{"$date":"2026-12-07T10:00:00.123+00:00"},"s":"W","c":"REPL_HB","id":23974,"ctx":"ReplCoord-1","msg":"Heartbeat failed after max retries","attr":{"target":"db-2:27017","maxHeartbeatRetries":2,"error":{"code":6,"codeName":"HostUnreachable","errmsg":"Error connecting to db-2:27017 :: caused by :: Connection refused"}}}"#,
    );
    assert_eq!(mongo.level, Some(Level::Warn));
    assert_eq!(mongo.timestamp, Some(1_796_637_600_123_000));
    assert!(mongo.error.as_deref().unwrap().contains("HostUnreachable"));
    assert_eq!(
        d(r#"{"t":{"$date":"2026-12-07T10:00:00.123+00:00"},"s":"D1","c":"NETWORK","id":1,"ctx":"conn1","msg":"x"}"#).level,
        Some(Level::Debug)
    );
    // The journal's export: syslog's priority as a string, the message in
    // `MESSAGE`, the time in microseconds as a string.
    let journal = d(
        r#"{"__REALTIME_TIMESTAMP":"1796637600123456","PRIORITY":"3","SYSLOG_IDENTIFIER":"kubelet","_PID":"812","MESSAGE":"Failed to update lease"}"#,
    );
    assert_eq!(journal.level, Some(Level::Error));
    assert_eq!(journal.message.as_deref(), Some("Failed to update lease"));
    assert_eq!(journal.timestamp, Some(1_796_637_600_123_456));
    assert_eq!(
        d(r#"{"PRIORITY":"6","MESSAGE":"Started session 4"}"#).level,
        Some(Level::Info)
    );
    // `s` is a severity only in MongoDB's shape.
    assert_eq!(d(r#"{"s":"E","msg":"x"}"#).level, None);
    for (key, value, level) in [
        ("loglevel", "warn", Level::Warn),
        ("log_level", "ERROR", Level::Error),
        ("Level", "Fatal", Level::Fatal),
        ("severityText", "INFO", Level::Info),
        ("@level", "error", Level::Error),
    ] {
        let line = format!(r#"{{"message":"x","{key}":"{value}"}}"#);
        assert_eq!(d(&line).level, Some(level), "{line}");
    }
}

#[test]
fn plain_text_levels_from_markers() {
    let pg = d("2026-11-22 08:00:00.123 UTC [4242] FATAL:  sorry, too many clients already");
    assert_eq!(pg.format, Format::Text);
    assert_eq!(pg.level, Some(Level::Fatal));
    assert_eq!(
        pg.message.as_deref(),
        Some("2026-11-22 08:00:00.123 UTC [4242] FATAL:  sorry, too many clients already")
    );
    assert!(pg.timestamp.is_some());
    let nginx = d("2026/11/22 08:00:00 [error] 31#31: *1 upstream timed out (110: Connection timed out) while reading response header from upstream");
    assert_eq!(nginx.level, Some(Level::Error));
    let panic = d("thread 'tokio-runtime-worker' panicked at src/main.rs:10:5:");
    assert_eq!(panic.level, None);
    // Go's slog and logrus text handlers (logfmt) write the level in
    // capitals or not.
    let slog = d(
        r#"time=2026-11-24T03:12:45.118Z level=WARN source=queue_manager.go:2097 msg="Failed to send batch, retrying""#,
    );
    assert_eq!(slog.level, Some(Level::Warn));
    let logrus = d(r#"time="2026-11-25T08:02:11Z" level=fatal msg="cannot start""#);
    assert_eq!(logrus.level, Some(Level::Fatal));
    // log15's logfmt: Grafana before 9, InfluxDB 1.x.
    assert_eq!(
        d(r#"t=2026-12-06T10:00:00+0000 lvl=eror msg="Alert Rule Result Error" logger=alerting.evalContext error="context deadline exceeded""#).level,
        Some(Level::Error)
    );
    assert_eq!(
        d(r#"ts=2026-12-06T11:41:16.020000Z lvl=warn msg="Snapshotter busy: proceeding without cache contents." log_id=0kXw4Qp0000 engine=tsm1"#).level,
        Some(Level::Warn)
    );
    assert_eq!(
        d(r#"t=2026-12-06T10:00:00+0000 lvl=info msg="HTTP Server Listen" logger=http.server address=[::]:3000"#).level,
        Some(Level::Info)
    );
    // The logger's level comes before the message; a level the message
    // quotes (a database error's `ERROR:`) is not the line's.
    let quoting = d("2026-11-23 10:00:00,123 INFO  [w-1] c.a.Client - call to ledger timed out, will use cached value (last cause: ERROR: relation \"x\" is locked)");
    assert_eq!(quoting.level, Some(Level::Info));
    assert_eq!(
        d(r#"time=2026-11-23T10:00:00Z level=info msg="retried" err="FATAL: the database system is starting up""#).level,
        Some(Level::Info)
    );
    // .NET's console logger starts the line with its level, and only there.
    let dotnet = d("fail: Polly[0]\n      Resilience event occurred. EventName: 'OnCircuitOpened'");
    assert_eq!(dotnet.level, Some(Level::Error));
    assert_eq!(
        d("crit: Microsoft.AspNetCore.Server.Kestrel[23]").level,
        Some(Level::Fatal)
    );
    assert_eq!(d("the probe said fail: twice").level, None);
    // Bracketed levels (franz-go, CoreDNS) and asynq's `WARN:`.
    assert_eq!(
        d("[INFO] heartbeat errored; group: g, err: REBALANCE_IN_PROGRESS").level,
        Some(Level::Info)
    );
    assert_eq!(
        d("[DEBUG] plugin/reload: Running configuration").level,
        Some(Level::Debug)
    );
    assert_eq!(
        d("asynq: pid=42 2026/05/01 12:00:00.123456 WARN: Lease reset failed").level,
        Some(Level::Warn)
    );
    // glog and klog give the level as the line's first letter, before the
    // date (with or without the year) and the time.
    assert_eq!(
        d("I1206 11:58:03.223456   12345 client.cpp:80] connected").level,
        Some(Level::Info)
    );
    assert_eq!(
        d("W20261206 12:48:10.123456 140240 redis_connection.cc:127] slow").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("E1206 09:33:06.223999       1 controllermanager.go:340] lost").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("E261206 10:00:00.000000 123 storage/pebble.go:123 disk stall").level,
        Some(Level::Error)
    );
    assert_eq!(d("I1206 is not a glog line").level, None);
    // Redis and Valkey mark the level after the time: `#` warning, `*`
    // notice (their default verbosity, routine), `-` verbose, `.` debug.
    assert_eq!(
        d("4123:S 07 Dec 2026 10:31:02.123 # Connection with master lost.").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("1:M 06 Dec 2026 10:50:12.880 * Ready to accept connections tcp").level,
        Some(Level::Info)
    );
    assert_eq!(
        d("4187:C 07 Dec 2026 10:31:02.123 - Accepted 10.0.3.7:51234").level,
        Some(Level::Debug)
    );
    // Without Redis's role letter, a `#` there is not a mark.
    assert_eq!(
        d("4123:Q 07 Dec 2026 10:31:02.123 # a role Redis does not have").level,
        None
    );
    assert_eq!(d("Waiting 5 minutes").level, None);
    // Loggers that start the line with the level, and Telegraf's letters.
    assert_eq!(
        d("TRACE 2026-12-06 12:48:10,512 [shard 3] trace_state - props").level,
        Some(Level::Trace)
    );
    assert_eq!(
        d("[2026-12-06T12:48:10Z TRACE actix_http::h1::dispatcher] timed out").level,
        Some(Level::Trace)
    );
    assert_eq!(
        d("2026-12-06T12:48:10Z D! [outputs.graphite] Failed to establish connection").level,
        Some(Level::Debug)
    );
    // Python's logging.basicConfig starts the line with the level.
    assert_eq!(
        d("DEBUG:websockets.client:= connection is CLOSED").level,
        Some(Level::Debug)
    );
    assert_eq!(
        d("INFO:apscheduler.scheduler:Scheduler started").level,
        Some(Level::Info)
    );
    // The kernel's hung-task warning also starts with `INFO:`; it is not
    // a routine line.
    assert_eq!(
        d("INFO: task kworker/0:1:42 blocked for more than 120 seconds.").level,
        None
    );
    // gunicorn's and Python's level words, java.util.logging's SEVERE,
    // MySQL's error log, and log4j's padded level in brackets as
    // Elasticsearch writes it.
    assert_eq!(
        d("[2026-11-27 16:20:41 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:48)").level,
        Some(Level::Fatal)
    );
    assert_eq!(
        d("[2026-11-27 16:20:42 +0000] [1] [WARNING] Worker with pid 48 was terminated due to signal 9").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("2026-12-06 09:19:58,117 CRITICAL Listen failure: [Errno 98] Address already in use")
            .level,
        Some(Level::Fatal)
    );
    assert_eq!(
        d("SEVERE: Servlet.service() for servlet [dispatcher] threw exception").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("06-Dec-2026 10:00:00.000 SEVERE [main] org.apache.catalina.startup.Catalina.start Failed").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("2026-12-06T10:00:00.000000Z 0 [Warning] [MY-010055] [Server] IP address could not be resolved").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("2026-12-06T10:00:00.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections.").level,
        Some(Level::Info)
    );
    // MySQL's `[Note]` carries InnoDB's deadlock dump: not read as routine.
    assert_eq!(
        d("2026-12-06 10:00:00 0x7f2b [Note] InnoDB: Transactions deadlock detected, dumping detailed information.").level,
        None
    );
    assert_eq!(
        d("[2026-12-06T11:00:01,234][WARN ][o.e.m.j.JvmGcMonitorService] [es-1] [gc][412] overhead, spent [1.2s] collecting in the last [1.5s]").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("[2026-12-06T11:00:01,234][INFO ][o.e.c.r.a.AllocationService] [es-1] Cluster health status changed from [YELLOW] to [GREEN]").level,
        Some(Level::Info)
    );
    // Go's console encoders: zap's level column between tabs (capitals
    // or not; controller-runtime's operators), zerolog's three capitals
    // after the time. The column wins over a marker in the message.
    assert_eq!(
        d("2026-12-06T10:16:41.902Z\tERROR\tcontroller/orders.go:88\tReconciler error\t{\"controller\": \"orders\"}").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("2026-12-06T10:16:41.902+0000\twarn\tapp/main.go:12\tslow flush, took 2.1s").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("2026-12-06T10:16:41Z\tINFO\tretry after the ERROR ends\t{\"attempt\": 2}").level,
        Some(Level::Info)
    );
    // A zap time encoder with a space in its column (dubbo-go's).
    assert_eq!(
        d("2026-12-03 10:15:22\tERROR\tbase/cluster_invoker.go:156\t[Cluster] invoker unavailable").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("10:16AM ERR failed to flush error=\"i/o timeout\"").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("2026-12-06T10:16:41Z INF recovering after WARN: reason=\"EOF\"").level,
        Some(Level::Info)
    );
    // Three-letter levels in brackets: Serilog's console template,
    // EventStoreDB's, NATS's.
    assert_eq!(
        d("[10:42:17 ERR] Projection batch failed; LOG: see above").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("[    1, 7,10:16:41.902,WRN] Slow queue msg. Queue: MainQueue").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("[1] 2026/11/27 16:45:09.318274 [INF] 10.0.4.21:51234 - cid:9 - \"v1.34.1:go\" - Client connection closed").level,
        Some(Level::Info)
    );
    assert_eq!(
        d("[10:42:17 VRB] Checkpoint written").level,
        Some(Level::Trace)
    );
    // slog's tint handler: zerolog's columns after a `time.StampMilli`
    // time (its default) or a time in brackets (Inngest's), and a level
    // between two of slog's as the lower one and the distance.
    assert_eq!(
        d("Dec  9 14:22:31.408 ERR error extending lease error=\"lease ID mismatch\"").level,
        Some(Level::Error)
    );
    assert_eq!(
        d("[14:22:31.408] WRN dropped retry; queue item not found on requeue").level,
        Some(Level::Warn)
    );
    assert_eq!(
        d("Dec 19 14:22:31.408 INF+2 lease renewed").level,
        Some(Level::Info)
    );
    assert_eq!(d("Dec  9 14:22:31.408 Errors are listed below").level, None);
    assert_eq!(d("ERR 10:16AM not a console line").level, None);
    assert_eq!(d("orders: ERR codes are listed below").level, None);
    assert_eq!(d("10:16AM Err not a zerolog level").level, None);
}

#[test]
fn plain_text_levels_of_more_loggers() {
    for (line, level) in [
        // go-ethereum's terminal format: the level padded to five.
        ("ERROR[12-08|10:53:31.004] Low disk space. Gracefully shutting down Geth to prevent database corruption. available=\"812.40 MiB\"", Level::Error),
        ("WARN [12-08|10:52:01.118] Database compacting, degraded performance database=/data/geth/chaindata", Level::Warn),
        ("CRIT [12-08|10:53:31.004] Failed to open database", Level::Fatal),
        // CloudWeGo's klog and hlog (Kitex, Hertz): `file:line: [Level] `.
        ("2026/12/06 11:58:02.123456 handler.go:41: [Error] rpc timeout: timeout=1s, to=orders, method=GetOrder", Level::Error),
        ("2026/12/06 11:58:02.123456 server.go:88: [Notice] [GenericServer] start listening on [::]:8888", Level::Info),
        ("2026/12/06 11:58:02.123456 engine.go:400: [Warn] HERTZ: Hijack timeout", Level::Warn),
        // Apache httpd 2.4: `[module:level]`.
        ("[Mon Dec 07 10:00:00.123456 2026] [proxy_http:error] [pid 1234:tid 140213] (70007)The timeout specified has expired: [client 203.0.113.5:51234] AH01102: error reading status line from remote server 127.0.0.1:8080", Level::Error),
        ("[Mon Dec 07 10:00:00.123456 2026] [ssl:warn] [pid 1:tid 1] AH01909: www.example.com:443:0 server certificate does NOT include an ID which matches the server name", Level::Warn),
        ("[Mon Dec 07 10:00:00.123456 2026] [core:trace3] [pid 9:tid 9] request.c(311): [client 10.0.0.9:4431] request authorized", Level::Trace),
        // logrus on a terminal, with seconds since start or the time.
        ("ERRO[0012] failed to connect                               host=db", Level::Error),
        ("WARN[2026-12-07T10:00:00Z] retrying", Level::Warn),
        // winston with its `timestamp` and `label` formats.
        ("2026-12-03T10:15:22.481Z [EG:policy] warn: connect ECONNREFUSED 10.0.4.21:3000", Level::Warn),
        ("2026-12-03T10:15:22.481Z [EG:db] error: Error in Redis: Error: Connection is closed.", Level::Error),
        ("2026-12-03T10:15:22.481Z [EG:gateway] info: gateway http server listening on :8080", Level::Info),
        // Unbound: the program's name and pid, then the level.
        ("[1796293321] unbound[12345:0] error: server_stats_obtain: no response from worker 2 (stats timeout); returning zero stats for this worker", Level::Error),
        // GlusterFS's letter after the time.
        ("[2026-12-07 10:14:03.512345 +0000] W [MSGID: 109033] [dht-diskusage.c:250:dht_is_subvol_filled] 0-gv0-dht: disk space on subvolume 'gv0-client-1' is getting full (95.04 %), consider adding more bricks", Level::Warn),
        ("[2026-12-07 10:16:02.770201 +0000] M [MSGID: 113075] [posix-helpers.c:2136:posix_health_check_thread_proc] 0-gv0-posix: health-check failed, going down", Level::Fatal),
        // capnslog's letter before the package.
        ("2026-12-07 10:14:03.512345 I | dragonboat: [00128:00003] new LogDB busy state is true", Level::Info),
        ("2026-12-07 10:14:03.512345 W | etcdserver: read-only range request took too long to execute", Level::Warn),
        // Asterisk's level and thread.
        ("[Dec  7 10:14:03] WARNING[28841]: taskprocessor.c:1356 taskprocessor_push: Taskprocessor 'stasis/m:manager:core-00000006' queue reached 500 scheduled tasks (high water mark: 500).", Level::Warn),
        ("[Dec  7 10:23:40] WARNING[30477][C-0000a1f3]: pbx.c:3188 increase_call_count: Maximum call limit of 400 calls exceeded by 'PJSIP/trunk-carrier-000013b7'!", Level::Warn),
        ("[Dec  7 10:21:02] DEBUG[28841]: taskprocessor.c:989 tps_alert_add: Taskprocessor 'stasis/m:manager:core-00000006' cleared the high water alert (total alerts: 0).", Level::Debug),
        // Icinga 2's level before its facility.
        ("[2026-12-07 10:14:03 +0000] information/WorkQueue: #7 (ApiListener, RelayQueue) items: 51234, rate: 120.5/s (7230/min 36150/5min 108450/15min); empty in infinite time, your task handler isn't able to keep up", Level::Info),
        ("[2026-12-07 10:14:03 +0000] critical/ApiListener: Cannot connect to host 'master1' on port '5665'", Level::Error),
        // FreeRADIUS's radius.log.
        ("Mon Dec  7 10:14:05 2026 : Info: rlm_sql (sql): Need 3 more connections to reach 10 spares", Level::Info),
        ("Mon Dec  7 10:14:03 2026 : Error: rlm_sql (sql): Cannot open new connection, already at max", Level::Error),
        // Apache Geode's lowercase level before the year.
        ("[warn 2026/12/07 10:14:03.512 UTC server1 <Handshaker /0.0.0.0:40404 Thread 7> tid=0x5c] Rejected connection from /10.20.3.17 because current connection count of 800 is greater than or equal to the configured max of 800", Level::Warn),
        ("[info 2026/12/07 10:14:00.001 UTC server1 <main> tid=0x1] Cache server connection listener bound to address 0.0.0.0/0.0.0.0:40404", Level::Info),
        // GlassFish's record.
        ("[#|2026-12-07T10:14:03.512+0000|WARNING|GlassFish 7.0|jakarta.enterprise.resource.resourceadapter.com.sun.enterprise.resource.pool|_ThreadID=61;_ThreadName=connector-timer-proxy;|  A potential connection leak detected for connection pool PoolInfo|#]", Level::Warn),
        ("[#|2026-12-07T10:14:03.512+0000|SEVERE|GlassFish 7.0|javax.enterprise.system.core|_ThreadID=1;|  Exception while loading the app|#]", Level::Error),
        // Apache Traffic Server's NOTE after the thread.
        ("[Dec  7 10:16:03.118] [ET_NET 2] NOTE: Peer unblocked: [Dec 07 10:14:05] count=150 limit=200 group=(ip 10.0.1.21) blocked=12 peer=10.0.1.21:443", Level::Info),
        ("[Dec  3 10:15:22.481] {0x7f3c2a1fe700} NOTE: [LocalManager::pollMgmtProcessServer] Server Process terminated due to Sig 6: Aborted", Level::Info),
        // frp's and beego's letter in brackets.
        ("2026-12-03 10:22:01.123 [E] [visitor/xtcp.go:168] [3f9c2a7b1d4e6f80] [p2p_ssh_visitor] open tunnel error: open tunnel timeout", Level::Error),
        ("2026-12-03 10:22:01.123 [W] [proxy/proxy.go:204] [3f9c2a7b1d4e6f80] [ssh] connect to local service [127.0.0.1:22] error: dial tcp 127.0.0.1:22: connect: connection refused", Level::Warn),
        ("2026-12-03 10:22:01.123 [I] [client/service.go:301] [3f9c2a7b1d4e6f80] login to server success, get run id [3f9c2a7b1d4e6f80]", Level::Info),
        // supervisord.
        ("2026-12-07 10:00:00,123 CRIT Supervisor is running as root.", Level::Fatal),
        ("2026-12-07 10:00:00,123 ERRO pool web event buffer overflowed", Level::Error),
        ("2026-12-07 10:00:00,123 DEBG 'web' stdout output:", Level::Debug),
        // NLog's default layout.
        ("2026-12-07 10:00:00.1234|ERROR|MyApp.Worker|Job failed", Level::Error),
        ("2026-12-07 10:00:00.1234|INFO|MyApp.Worker|Job done", Level::Info),
        // Celery's worker.
        ("[2026-12-07 10:00:00,123: ERROR/MainProcess] consumer: Cannot connect to amqp://guest@127.0.0.1:5672//", Level::Error),
        ("[2026-12-07 10:00:00,123: WARNING/ForkPoolWorker-2] soft time limit", Level::Warn),
        ("[2026-12-07 10:00:00,123: INFO/MainProcess] Task t[1] succeeded", Level::Info),
        // spdlog and Envoy.
        ("[2026-12-07 10:00:00.123] [critical] disk full", Level::Fatal),
        ("[2026-12-07 10:00:00.123][17][warning][config] [source/common/config/grpc_stream.h:191] StreamAggregatedResources gRPC config stream closed", Level::Warn),
        // ClickHouse.
        ("2026.12.07 10:00:00.123456 [ 12345 ] {} <Error> Application: Caught exception", Level::Error),
        ("2026.12.07 10:00:00.123456 [ 12345 ] {} <Information> Application: Ready for connections.", Level::Info),
        // Fluent Bit.
        ("[2026/12/07 10:00:00.123] [ warn] [engine] failed to flush chunk '1-1733565600.123.flb', retry in 7 seconds", Level::Warn),
        ("[2026/12/07 10:00:00] [ info] [engine] started (pid=1)", Level::Info),
        // structlog's console renderer.
        ("2026-12-07 10:00:00 [error    ] payment failed                 order_id=42", Level::Error),
        ("2026-12-07 10:00:00 [info     ] payment done                   order_id=42", Level::Info),
        // HAProxy.
        ("[ALERT]    (1) : config : parsing [/etc/haproxy/haproxy.cfg:12] : unknown keyword 'foo' in 'global' section", Level::Fatal),
        // Erlang/OTP's reports.
        ("=ERROR REPORT==== 7-Dec-2026::10:00:00.123456 ===", Level::Error),
        ("=CRASH REPORT==== 7-Dec-2026::10:00:00.123456 ===", Level::Error),
        ("=PROGRESS REPORT==== 7-Dec-2026::10:00:00.123456 ===", Level::Info),
        // PHP's error log.
        ("[07-Dec-2026 10:00:00 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/index.php:3", Level::Fatal),
        ("[07-Dec-2026 10:00:00 UTC] PHP Warning:  Undefined variable $x in /var/www/index.php on line 3", Level::Warn),
        ("[07-Dec-2026 10:00:00 UTC] PHP Deprecated:  strlen(): Passing null to parameter #1 in /var/www/a.php on line 9", Level::Info),
        // Postfix and Dovecot.
        ("Dec  7 10:00:00 mx postfix/smtpd[1234]: warning: hostname x does not resolve to address 1.2.3.4", Level::Warn),
        ("Dec  7 10:00:00 mx postfix/qmgr[99]: fatal: open lock file pid/master.pid: Permission denied", Level::Fatal),
        ("Dec 07 10:00:00 imap(alice)<4321><AbCd>: Error: Mailbox INBOX: Locking timed out", Level::Error),
        // Tarantool.
        ("2026-12-07 10:00:00.123 [12345] main/103/interactive box.cc:512 E> ER_READONLY: Can't modify data on a read-only instance", Level::Error),
        ("2026-12-07 10:00:00.123 [12345] main/103/interactive I> ready to accept requests", Level::Info),
        // Heroku's router.
        (r#"2026-12-07T10:00:00.000000+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=app.herokuapp.com dyno=web.1 connect=1ms service=30001ms status=503 bytes=0"#, Level::Error),
    ] {
        assert_eq!(d(line).level, Some(level), "{line}");
    }
    // httpd reports a child's crash at `notice`: not read as routine.
    assert_eq!(
        d("[Fri Dec 06 06:41:12.345678 2024] [core:notice] [pid 1:tid 140234567890] AH00052: child pid 4321 exit signal Segmentation fault (11)").level,
        None
    );
    // logrus's shape needs its digits; a word in capitals is not a level.
    assert_eq!(d("INFO[note] is not logrus").level, None);
    // A level word the message quotes after the logger's own is not the
    // line's.
    assert_eq!(
        d("2026-12-07 10:00:00.1234|INFO|Relay|upstream said [proxy:error]").level,
        Some(Level::Info)
    );
    // Tarantool's `!>` has no letter; the level names it.
    assert_eq!(
        d("2026-12-07 10:00:00.123 [1] main/103/x say.c:9 !> SystemError: Broken pipe")
            .level_text
            .as_deref(),
        Some("error")
    );
}

#[test]
fn a_programs_level_is_read_behind_the_header_syslog_or_the_journal_wrote() {
    for (line, level) in [
        // klog through syslog and `journalctl` (default and `short-iso`).
        ("Dec 03 10:15:22 node-3 kubelet[2315]: E1203 10:15:22.217027    2315 kubelet.go:2646] \"Skipping pod synchronization\" err=\"container runtime is down\"", Some(Level::Error)),
        ("Dec  3 10:15:22 node-3 kubelet[2315]: I1203 10:15:22.217027    2315 kubelet.go:2612] \"SyncLoop (probe)\"", Some(Level::Info)),
        ("2026-12-03T10:15:22+0000 node-3 kubelet[2315]: W1203 10:15:22.217027    2315 reflector.go:561] watch ended", Some(Level::Warn)),
        // A line-start level, and .NET's console logger, behind the header.
        ("Dec  3 10:15:22 node-3 app: ERROR payment failed", Some(Level::Error)),
        ("Dec  3 10:15:22 node-3 orders.api[77]: fail: Orders.Api[0] request failed", Some(Level::Error)),
        // The kernel's hung-task warning is not Python's INFO.
        ("Dec  3 10:15:22 node-3 kernel: INFO: task java:4242 blocked for more than 120 seconds.", None),
        // Without the whole header, the start of the line is not moved.
        ("Dec  3 10:15:22 E1203 10:15:22.217027 1 kubelet.go:2646] failed", None),
        ("Dec  3 10:15:22 node-3 kubelet[x1]: E1203 10:15:22.217027 1 kubelet.go:2646] failed", None),
    ] {
        assert_eq!(d(line).level, level, "{line}");
    }
}

#[test]
fn envelopes_are_removed() {
    let docker = br#"{"log":"{\"level\":\"error\",\"msg\":\"deadlock detected\"}\n","stream":"stderr","time":"2026-11-22T08:00:00.5Z"}"#;
    let r = decode(docker, Envelope::Docker, None);
    assert_eq!(r.format, Format::Zap);
    assert_eq!(r.message.as_deref(), Some("deadlock detected"));
    assert_eq!(r.line, r#"{"level":"error","msg":"deadlock detected"}"#);
    assert_eq!(
        time::format_rfc3339(r.timestamp.unwrap()),
        "2026-11-22T08:00:00.500Z"
    );

    let cri = decode(
        br#"{"msg":"x","level":"info"}"#,
        Envelope::Cri,
        Some(b"2026-11-22T08:00:01.000000001Z"),
    );
    assert_eq!(cri.envelope, Envelope::Cri);
    assert_eq!(
        time::format_rfc3339(cri.timestamp.unwrap()),
        "2026-11-22T08:00:01.000Z"
    );
}

#[test]
fn truncated_json_is_read_as_text_and_flagged() {
    let r = d(r#"{"level":"error","msg":"deadlock detec"#);
    assert!(r.invalid_json);
    assert_eq!(r.format, Format::Text);
    assert!(r.message.as_deref().unwrap().contains("deadlock detec"));
}

#[test]
fn dotnet_json_console() {
    // Microsoft.Extensions.Logging's JsonConsoleFormatter.
    let r = d(
        r#"{"Timestamp":"2026-11-22T08:00:00.123Z","EventId":10000,"LogLevel":"Error","Category":"Microsoft.EntityFrameworkCore.Update","Message":"An exception occurred in the database while saving changes for context type 'AppDb'.","Exception":"Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException: The database operation was expected to affect 1 row(s), but actually affected 0 row(s).","State":{"Message":"An exception occurred"}}"#,
    );
    assert!(r
        .message
        .as_deref()
        .unwrap()
        .starts_with("An exception occurred in the database"));
    assert!(r
        .error
        .as_deref()
        .unwrap()
        .contains("DbUpdateConcurrencyException"));
    assert_eq!(r.level, Some(Level::Error));
    assert_eq!(
        r.target.as_deref(),
        Some("Microsoft.EntityFrameworkCore.Update")
    );
    assert_eq!(
        time::format_rfc3339(r.timestamp.unwrap()),
        "2026-11-22T08:00:00.123Z"
    );
}

#[test]
fn python_json_logger_exc_info() {
    let r = d(
        r#"{"asctime":"2026-11-22 08:00:00,123","levelname":"ERROR","name":"billing","message":"charge failed","exc_info":"Traceback (most recent call last):\n  File \"app.py\", line 3, in charge\npsycopg.errors.SerializationFailure: could not serialize access due to concurrent update"}"#,
    );
    assert_eq!(r.message.as_deref(), Some("charge failed"));
    assert!(r.error.as_deref().unwrap().contains("SerializationFailure"));
    assert_eq!(r.level, Some(Level::Error));
}

#[test]
fn error_fields_of_lambda_runtimes_and_http_apis() {
    let lambda = d(
        r#"{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"TimeoutError: Connection terminated due to connection timeout","trace":["Runtime.UnhandledPromiseRejection: TimeoutError"]}"#,
    );
    assert!(lambda
        .error
        .as_deref()
        .unwrap()
        .contains("Connection terminated due to connection timeout"));
    let arango = d(r#"{"code":500,"error":true,"errorMessage":"deadlock detected","errorNum":29}"#);
    assert_eq!(arango.error.as_deref(), Some("deadlock detected"));
    // CouchDB gives the error's words as `reason` beside its `error`;
    // Elasticsearch inside its error object.
    let couch = d(r#"{"error":"conflict","reason":"Document update conflict."}"#);
    assert_eq!(
        couch.error.as_deref(),
        Some("conflict\nDocument update conflict.")
    );
    let elastic = d(
        r#"{"error":{"root_cause":[],"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [shard_detail=[orders][0][P], shard_coordinating_and_primary_bytes=0, shard_operation_bytes=98615, shard_max_coordinating_and_primary_bytes=0]"},"status":429}"#,
    );
    let text = elastic.error.unwrap();
    assert!(
        text.starts_with(
            "es_rejected_execution_exception\nrejected execution of coordinating operation"
        ),
        "{text}"
    );
}

#[test]
fn trace_context_under_every_common_convention() {
    let hex_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let hex_span = "00f067aa0ba902b7";
    for (line, why) in [
        (
            format!(r#"{{"msg":"x","trace_id":"{hex_trace}","span_id":"{hex_span}"}}"#),
            "W3C / OpenTelemetry",
        ),
        (
            format!(r#"{{"msg":"x","traceId":"{hex_trace}","spanId":"{hex_span}"}}"#),
            "camelCase",
        ),
        (
            format!(r#"{{"message":"x","trace.id":"{hex_trace}","span.id":"{hex_span}"}}"#),
            "ECS, flat",
        ),
        (
            format!(
                r#"{{"message":"x","trace":{{"id":"{hex_trace}"}},"span":{{"id":"{hex_span}"}}}}"#
            ),
            "ECS, nested",
        ),
        (
            format!(r#"{{"Message":"x","TraceId":"{hex_trace}","SpanId":"{hex_span}"}}"#),
            ".NET",
        ),
        (
            format!(r#"{{"@m":"x","@tr":"{hex_trace}","@sp":"{hex_span}"}}"#),
            "Serilog CLEF",
        ),
        (
            format!(
                r#"{{"message":"x","otelTraceID":"{hex_trace}","otelSpanID":"{hex_span}","otelServiceName":"api"}}"#
            ),
            "OpenTelemetry Python logging",
        ),
        (
            format!(
                r#"{{"message":"x","logging.googleapis.com/trace":"projects/p1/traces/{hex_trace}","logging.googleapis.com/spanId":"{hex_span}"}}"#
            ),
            "Google Cloud Logging",
        ),
        (
            format!(r#"{{"msg":"x","traceparent":"00-{hex_trace}-{hex_span}-01"}}"#),
            "traceparent",
        ),
        (
            format!("2026-11-23 10:00:00 ERROR x traceparent=00-{hex_trace}-{hex_span}-01"),
            "text traceparent",
        ),
        (
            format!("2026-11-23 10:00:00 ERROR x trace_id={hex_trace} span_id={hex_span}"),
            "text trace_id=",
        ),
    ] {
        let r = d(&line);
        assert_eq!(
            (r.trace_id.as_deref(), r.span_id.as_deref()),
            (Some(hex_trace), Some(hex_span)),
            "{why}: {line}"
        );
    }
    // Datadog writes the low 64 bits of the trace id, and the span id, in
    // decimal.
    let dd = d(
        r#"{"message":"x","dd":{"trace_id":"1311768467294899695","span_id":"4822678189205111"}}"#,
    );
    assert_eq!(
        (dd.trace_id.as_deref(), dd.span_id.as_deref()),
        (
            Some("00000000000000001234567890abcdef"),
            Some("0011223344556677")
        )
    );
    let flat =
        d(r#"{"message":"x","dd.trace_id":"1311768467294899695","dd.span_id":"4822678189205111"}"#);
    assert_eq!(flat.trace_id, dd.trace_id);
    let text = d("2026-11-23 10:00:00 ERROR x [dd.service=api dd.trace_id=1311768467294899695 dd.span_id=4822678189205111]");
    assert_eq!((text.trace_id, text.span_id), (dd.trace_id, dd.span_id));
    // An all-zero id is no id, in JSON or in text.
    let outside_a_span = d(
        "2026-11-23 10:00:00,123 ERROR [app] [trace_id=0 span_id=0 resource.service.name=api] x",
    );
    assert_eq!(
        (outside_a_span.trace_id, outside_a_span.span_id),
        (None, None)
    );
    assert_eq!(
        d(r#"{"msg":"x","trace_id":"00000000000000000000000000000000"}"#).trace_id,
        None
    );
}

#[test]
fn time_under_every_common_key() {
    let at = time::parse_text("2026-11-23T10:31:12.004Z");
    for (line, why) in [
        (r#"{"msg":"x","time":"2026-11-23T10:31:12.004Z"}"#, "time"),
        (
            r#"{"message":"x","@timestamp":"2026-11-23T10:31:12.004Z"}"#,
            "ECS",
        ),
        (r#"{"@t":"2026-11-23T10:31:12.004Z","@m":"x"}"#, "CLEF"),
        (
            r#"{"message":"x","asctime":"2026-11-23 10:31:12,004"}"#,
            "python-json-logger asctime",
        ),
        (
            r#"{"message":"x","created":1795429872.004}"#,
            "python-json-logger created",
        ),
        (
            r#"{"message":"x","timeMillis":1795429872004}"#,
            "log4j2 timeMillis",
        ),
        (
            r#"{"message":"x","instant":{"epochSecond":1795429872,"nanoOfSecond":4000000}}"#,
            "log4j2 instant",
        ),
        (
            r#"{"Message":"x","Timestamp":"2026-11-23T10:31:12.004+00:00"}"#,
            ".NET",
        ),
        (r#"{"msg":"x","ts":1795429872.004}"#, "zap"),
        (
            r#"{"message":"x","datetime":"2026-11-23 10:31:12.004"}"#,
            "datetime",
        ),
    ] {
        assert_eq!(d(line).timestamp, at, "{why}: {line}");
    }
}

#[test]
fn a_number_that_cannot_be_a_time_is_not_the_records_time() {
    // pgx's tracelog writes the query's duration in seconds as `time`,
    // next to the record's own `ts`.
    let pgx = d(
        r#"{"level":"error","ts":1795429872.004,"msg":"Exec","err":"ERROR: deadlock detected (SQLSTATE 40P01)","time":1.0021,"pid":31879}"#,
    );
    assert_eq!(pgx.timestamp, time::parse_text("2026-11-23T10:31:12.004Z"));
    assert_eq!(d(r#"{"msg":"x","time":1.0021}"#).timestamp, None);
}

#[test]
fn a_text_lines_time_ends_where_its_zone_ends() {
    let at = |s: &str| time::parse_text(s);
    for (line, expected) in [
        // Python's `%(asctime)s - %(name)s - %(levelname)s`: the dash after
        // the time is a separator, not a zone offset.
        (
            "2026-11-22 08:00:00,123 - w12 - ERROR - deadlock detected",
            at("2026-11-22T08:00:00.123Z"),
        ),
        (
            "2026-11-22 08:00:00 - 42 - ERROR deadlock detected",
            at("2026-11-22T08:00:00Z"),
        ),
        (
            "2026-11-22 08:00:00 - [1234] ERROR deadlock detected",
            at("2026-11-22T08:00:00Z"),
        ),
        (
            "2026-11-22 08:00:00.123 UTC [42] ERROR:  deadlock detected",
            at("2026-11-22T08:00:00.123Z"),
        ),
        (
            "2026-11-22 09:00:00 +0100 [42] ERROR x",
            at("2026-11-22T08:00:00Z"),
        ),
        (
            "2026-11-22T09:00:00.5+01:00 ERROR x",
            at("2026-11-22T08:00:00.5Z"),
        ),
        (
            "2026-11-22T08:00:00.123456789Z ERROR x",
            at("2026-11-22T08:00:00.123456Z"),
        ),
        // A character of several bytes after the time (across byte 35).
        (
            "2026-11-22 08:00:00 UTC ERROR \u{e9}\u{e9}\u{e9} deadlock detected",
            at("2026-11-22T08:00:00Z"),
        ),
        ("2026-11-22 08:0\u{e9}:00 ERROR x", None),
    ] {
        assert_eq!(d(line).timestamp, expected, "{line}");
    }
}

/// What tracing-subscriber's `fmt` writes with its default ANSI colours,
/// as a Rust service's container log holds it.
fn coloured_tracing_lines() -> Vec<String> {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(true)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tracing::error!(
            error = "pool timed out while waiting for an open connection",
            "append failed"
        );
        tracing::warn!(acquired_after_secs = 14.2, "slow acquire");
        tracing::info!("connection refused by peer, retrying");
    });
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    text.lines().map(str::to_string).collect()
}

#[test]
fn terminal_colour_codes_are_taken_out() {
    let lines = coloured_tracing_lines();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.contains("\x1b[")), "{lines:?}");
    let levels: Vec<_> = lines.iter().map(|l| d(l).level).collect();
    assert_eq!(
        levels,
        [Some(Level::Error), Some(Level::Warn), Some(Level::Info)]
    );
    let error = d(&lines[0]);
    assert!(error.timestamp.is_some());
    let message = error.message.unwrap();
    assert!(!message.contains('\x1b'), "{message:?}");
    assert!(
        message.ends_with(
            r#"append failed error="pool timed out while waiting for an open connection""#
        ),
        "{message:?}"
    );
    assert!(d(&lines[1])
        .message
        .unwrap()
        .ends_with("slow acquire acquired_after_secs=14.2"));
    // zap's colour level encoder, between its tab columns: the tabs stay.
    let zap = d("2026-12-06T10:16:41.902Z\t\x1b[31mERROR\x1b[0m\tapp/main.go:12\tfailed");
    assert_eq!(zap.level, Some(Level::Error));
    assert_eq!(
        zap.line,
        "2026-12-06T10:16:41.902Z\tERROR\tapp/main.go:12\tfailed"
    );
    // Other escapes than colours: a terminal hyperlink around a word.
    let linked = d(
        "\x1b[31mERROR\x1b[0m see \x1b]8;;https://x.example/run/7\x1b\\run 7\x1b]8;;\x1b\\ failed",
    );
    assert_eq!(linked.line, "ERROR see run 7 failed");
    assert_eq!(linked.level, Some(Level::Error));
}

#[test]
fn json_escapes_are_read_as_json_reads_them() {
    let read = |line: &str| {
        let mut text = String::new();
        super::write_json_escapes_read(line, &mut text);
        text
    };
    assert_eq!(
        read(r#"{"msg":"\u0064eadlock \"x\" a\/b C:\\users","user":"Jos\u00E9"}"#),
        r#"{"msg":"deadlock "x" a/b C:\users","user":"José"}"#
    );
    // A surrogate pair is one char; a lone surrogate is U+FFFD.
    assert_eq!(read(r"a\ud83d\ude00b"), "a😀b");
    assert_eq!(read(r"a\ud83db"), "a\u{FFFD}b");
    // Control characters stay as JSON writes them, however they were
    // escaped: an array or object field is read back as JSON text.
    assert_eq!(
        read(r"\u0009imeout \tab \n \u001b[31m \u0001"),
        r"\timeout \tab \n \u001b[31m \u0001"
    );
    // An escape after an escaped backslash is text, as JSON reads it; an
    // escape JSON does not know, and a `\u` without four hex digits, stay
    // as written.
    assert_eq!(read(r"a\\u0041 \q \u12"), r"a\u0041 \q \u12");
    assert_eq!(read(r"a\u005cu0041"), r"a\u0041");
}
