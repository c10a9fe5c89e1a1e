#!/usr/bin/env python3
"""Builds /tmp/tailwatch-capture/corpus/timeouts.jsonl from the captures under /tmp/tailwatch-capture/timeouts
and from message texts read in upstream sources (cited per entry)."""
import json, re, os
H = "/tmp/tailwatch-capture/timeouts"
out = []
def add(cat, line, source, accept=None):
    e = {"category": cat, "line": line, "source": source}
    if accept: e["accept"] = accept
    out.append(e)
def T(line, source, accept=None): add("timeout", line, source, accept)
def B(line, source): add("benign", line, source)
def lines(path): return open(os.path.join(H, path)).read().splitlines()
def grep1(path, pat, nth=0):
    m = [l for l in lines(path) if re.search(pat, l)]
    return m[nth]
def pg_record(pat, nth=0):
    ls = lines("pg/log/pg.log")
    idx = [i for i, l in enumerate(ls) if re.search(pat, l)][nth]
    rec = [ls[idx]]
    m = re.match(r"^(\S+ \S+ UTC \[\d+\])", ls[idx])
    j = idx + 1
    while j < len(ls) and ls[j].startswith(m.group(1)) and re.search(r"(STATEMENT|DETAIL|HINT|CONTEXT):  ", ls[j]):
        rec.append(ls[j]); j += 1
    return "\n".join(rec)
def pg_json(pat, nth=0):
    return [l for l in lines("pg/log/pg.json") if re.search(pat, l)][nth]
def py_rec(path, name):
    txt = open(os.path.join(H, path)).read()
    recs = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ )", txt)
    return [r.rstrip("\n") for r in recs if re.match(r"\S+ \S+ \w+ \[[^\]]+\] " + re.escape(name) + " failed", r)][0]
def jl(path, pred):
    return [l for l in lines(path) if pred(json.loads(l))][0]

PG = "captured: PostgreSQL 15.18, /tmp/tailwatch-capture/timeouts/pg_provoke.sh"
PGD = "captured: PostgreSQL 15.18 (pg_dump 15.18 with PGOPTIONS=-c log_statement=all), /tmp/tailwatch-capture/timeouts/pg_provoke.sh"
MY = "captured: MariaDB 10.11.19, /tmp/tailwatch-capture/timeouts/my_provoke.sh"
PGB = "captured: PgBouncer 1.18.0, /tmp/tailwatch-capture/timeouts/pgb_provoke.sh"
RD = "captured: Redis 7.0.15 (redis-server --busy-reply-threshold 200 --timeout 2 --loglevel verbose), /tmp/tailwatch-capture/timeouts/redis (commands in report)"
NG = "captured: nginx 1.22.1, /tmp/tailwatch-capture/timeouts/nginx/nginx.conf"
PY = "captured: Python 3.11.7 requests 2.34.2 httpx 0.28.1 aiohttp 3.14.5 redis-py 8.1.0 psycopg 3.3.9 psycopg2 2.9.13 asyncpg 0.32.0 SQLAlchemy 2.1.9, /tmp/tailwatch-capture/timeouts/py_capture.py"
PY2 = "captured: Python 3.11.7 SQLAlchemy 2.1.9 asyncpg 0.32.0, /tmp/tailwatch-capture/timeouts/py_capture2.py"
PYR = "captured: Python 3.11.7 requests 2.34.2 urllib3 2.8.0, /tmp/tailwatch-capture/timeouts/py_retry_fail.py"
PYOK = "captured: Python 3.11.7 requests 2.34.2 urllib3 2.8.0, /tmp/tailwatch-capture/timeouts/py_retry_ok.py"
PYB = "captured: Python 3.11.7 httpx 0.28.1 httpcore 1.0.9, /tmp/tailwatch-capture/timeouts/py_benign.py"
PYG = "captured: Python 3.11.7 grpcio 1.85.3, /tmp/tailwatch-capture/timeouts/grpc_client.py"
ND = "captured: Node 20.20.2 axios 1.21.1 pg 8.23.1 knex 3.3.0 sequelize 6.37.8 mongoose 9.12.1 ioredis 6.0.0 pino 10.4.0, /tmp/tailwatch-capture/timeouts/node/capture.js"
ND2 = "captured: Node 20.20.2 undici 7.30.2 mongoose 9.12.1 sequelize 6.37.8 pino 10.4.0, /tmp/tailwatch-capture/timeouts/node/capture2.js"
NDG = "captured: Node 20.20.2 @grpc/grpc-js 1.14.7 pino 10.4.0, /tmp/tailwatch-capture/timeouts/node/grpc_client.js"
GO = "captured: Go 1.19.8 net/http, /tmp/tailwatch-capture/timeouts/go/main.go"
JV = "captured: OpenJDK 17.0.15 java.net.http + pgjdbc 42.5.5 + slf4j-simple 1.7.32, /tmp/tailwatch-capture/timeouts/java/Cap.java"
HK = "captured: HikariCP 2.7.9 + slf4j-simple 1.7.32 (DEBUG), /tmp/tailwatch-capture/timeouts/java/Hik.java"

# ---------------- PostgreSQL server ----------------
T(pg_record(r"statement timeout"), PG)
T(pg_json(r"statement timeout.*generate_series"), PG)
T(pg_record(r"idle-in-transaction timeout"), PG)
T(pg_json(r"idle-in-transaction timeout"), PG)
T(pg_record(r"idle-session timeout"), PG)
T(pg_json(r"idle-session timeout"), PG)
B(pg_record(r"due to user request"), PG + " (pg_cancel_backend by an operator: a cancel, not a timeout)")
B(pg_json(r"due to user request"), PG + " (pg_cancel_backend by an operator: a cancel, not a timeout)")
B(grep1("pg/log/pg.log", r'parameter "statement_timeout" changed'), PG)
B(grep1("pg/log/pg.log", r'parameter "lock_timeout" changed'), PG)
B(pg_json(r'parameter \\"idle_in_transaction_session_timeout\\" changed'), PG)
B(grep1("pg/log/pg.log", r'parameter "statement_timeout" removed'), PG)
B(pg_json(r'parameter \\"idle_in_transaction_session_timeout\\" removed'), PG)
B(grep1("pg/log/pg.log", r"statement: SET statement_timeout = 0"), PGD)
B(pg_json(r"statement: SET statement_timeout = 0"), PGD)
B(grep1("pg/log/pg.log", r"statement: SET idle_in_transaction_session_timeout = 0"), PGD)
B(grep1("pg/log/pg.log", r"disconnection: session time: 0:00:00.308"), PG + " (log_disconnections: the session after an idle timeout closed)")

# ---------------- PostgreSQL via drivers ----------------
T(jl("py_jsonlog.out", lambda d: d["message"] == "sqlalchemy_psycopg2 failed"), PY)
jv = open(f"{H}/java/out.txt").read()
jrecs = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[main\])", jv)
def jrec(name): return [r.rstrip("\n") for r in jrecs if f" - {name} failed" in r.split("\n")[0]][0]
T(jrec("pgjdbc_statement_timeout"), JV)
T(jrec("pgjdbc_socket_timeout"), JV)
pino = [l for l in lines("node/pino.out") if '"type":"Object"' not in l]
def pn(msg): return [l for l in pino if json.loads(l).get("msg") == msg][0]
T(pn("pg_statement_timeout failed"), ND)
T(pn("pg_query_timeout failed"), ND)
T(pn("sequelize_query_timeout failed"), ND)
T(pn("knex_timeout failed"), ND)
T(pn("knex_timeout_cancel failed"), ND)
T(py_rec("py_plain.out", "asyncpg_cmd"), PY)
T(jl("py2_jsonlog.out", lambda d: d["message"] == "sqlalchemy_asyncpg failed"), PY2)

# ---------------- MySQL / MariaDB ----------------
T("ERROR 1969 (70100) at line 1: Query execution was interrupted (max_statement_time exceeded)", MY + " (mariadb client output)")
T(grep1("my/error.log", r"user: 'app'.*Got timeout reading communication packets"), MY)
T(grep1("my/error.log", r"user: 'root'.*Got timeout reading communication packets"), MY)
T(grep1("my/error.log", r"errno: 110"), MY)
B(grep1("my/error.log", r"closed normally without authentication"), MY)
B(grep1("my/error.log", r"errno: 11 "), MY + " (client closed before authenticating)")
MYS = "mysql/mysql-server@000405f97bab58eab649a124e44b524b91058be5 share/messages_to_clients.txt (ER_QUERY_TIMEOUT)"
T('{"level":"error","ts":1796166512.4411,"caller":"reports/daily.go:88","msg":"daily revenue report failed","error":"Error 3024 (HY000): Query execution was interrupted, maximum statement execution time exceeded"}', MYS)
T("2026-12-01 23:14:02,118 ERROR [app.billing] invoice export failed: (3024, 'Query execution was interrupted, maximum statement execution time exceeded')", MYS)
MYI = "mysql/mysql-server@000405f97bab58eab649a124e44b524b91058be5 share/messages_to_clients.txt (ER_CLIENT_INTERACTION_TIMEOUT)"
T("2026-12-01 23:20:44,901 ERROR [app.sync] sync batch failed: (4031, 'The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.')", MYI)
CJ = "mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf src/main/resources/com/mysql/cj/LocalizedErrorMessages.properties (CommunicationsException.ServerPacketTimingInfo, .2, .3, .11-.13) + src/main/core-api/java/com/mysql/cj/exceptions/ExceptionFactory.java"
T('{"@timestamp":"2026-12-01T23:21:05.332Z","@version":"1","message":"SQL Error: 0, SQLState: 08S01","logger_name":"org.hibernate.engine.jdbc.spi.SqlExceptionHelper","thread_name":"http-nio-8080-exec-4","level":"WARN","level_value":30000,"stack_trace":"com.mysql.cj.jdbc.exceptions.CommunicationsException: The last packet successfully received from the server was 28,810,034 milliseconds ago. The last packet sent successfully to the server was 28,810,035 milliseconds ago. is longer than the server configured value of \'wait_timeout\'. You should consider either expiring and/or testing connection validity before use in your application, increasing the server configured values for client timeouts, or using the Connector/J connection property \'autoReconnect=true\' to avoid this problem.\\n\\tat com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:174)\\n\\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:64)\\n"}'.replace("\\'", "'"), CJ)

# ---------------- PgBouncer ----------------
T(grep1("pgb/pgbouncer.log", r"S-.*closing because: query timeout"), PGB)
T(grep1("pgb/pgbouncer.log", r"pooler error: query timeout"), PGB)
T(grep1("pgb/pgbouncer.log", r"C-.*closing because: idle transaction timeout"), PGB)
T(grep1("pgb/pgbouncer.log", r"pooler error: idle transaction timeout"), PGB)
T(grep1("pgb/pgbouncer.log", r"pooler error: client_login_timeout$"), PGB)
T(grep1("pgb/pgbouncer.log", r"closing because: client_login_timeout \(server down\)"), PGB)
T(grep1("pgb/pgbouncer.log", r"closing because: connect timeout"), PGB)
T(grep1("pgb/pgbouncer.log", r"closing because: query_timeout"), PGB)
B(grep1("pgb/pgbouncer.log", r"server idle timeout \(age=3s\)"), PGB)
B(grep1("pgb/pgbouncer.log", r"server idle timeout \(age=8s\)"), PGB)
B(grep1("pgb/pgbouncer.log", r"client close request \(age=4s\)"), PGB)
PGBS = "pgbouncer/pgbouncer@13a344f2625381296fc02e29b986a11be9c6b983 src/janitor.c (disconnect_client(client, true, \"client_idle_timeout\"))"
T("2026-12-01 23:31:10.004 UTC [28695] LOG C-0x55c2e14afad0: ledger/app@10.0.3.17:51822 closing because: client_idle_timeout (age=600s)", PGBS)

# ---------------- Redis ----------------
T(pn("ioredis failed"), ND)
T(jl("py_structlog.out", lambda d: d["event"] == "redis failed"), PY)
T(grep1("redis/redis.log", r"Slow script detected"), RD)
B(grep1("redis/redis.log", r"Closing idle client"), RD + " (idle client closed by the timeout setting, logged at verbose)")
B(grep1("redis/redis.log", r"Client closed connection id=4"), RD)
LET = "redis/lettuce@b0bcdd81430b2b3ba1c67327ed623678895bf043 src/main/java/io/lettuce/core/internal/ExceptionFactory.java (createTimeoutException: \"Command timed out after %s\")"
T("2026-12-01 23:40:12.771 ERROR 1 --- [nio-8080-exec-7] c.e.ledger.BalanceCache                  : balance cache read failed\nio.lettuce.core.RedisCommandTimeoutException: Command timed out after 1 minute(s)\n\tat io.lettuce.core.internal.ExceptionFactory.createTimeoutException(ExceptionFactory.java:63)\n\tat io.lettuce.core.internal.Futures.awaitOrCancel(Futures.java:233)\n\tat io.lettuce.core.FutureSyncInvocationHandler.handleInvocation(FutureSyncInvocationHandler.java:79)", LET)
SER = "StackExchange/StackExchange.Redis@90bbf1fcba1c9cc464c94b96d16c2706f590383f src/StackExchange.Redis/ExceptionFactory.cs (\"Timeout performing \" ... \"ms)\")"
T('{"Timestamp":"2026-12-01T23:41:03.2203341Z","EventId":0,"LogLevel":"Error","Category":"Ledger.Api.BalanceCache","Message":"Redis read failed for balance:42","Exception":"StackExchange.Redis.RedisTimeoutException: Timeout performing GET (5000ms), next: GET balance:42, inst: 0, qu: 0, qs: 3, aw: False, bw: SpinningDown, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis:6379, mc: 1/1/0, mgr: 10 of 10 available, clientName: ledger-api, IOCP: (Busy=0,Free=1000,Min=2,Max=1000), WORKER: (Busy=5,Free=32762,Min=2,Max=32767), v: 2.7.33.41805 (Please take a look at this article for some common client-side issues that can cause timeouts: https://stackexchange.github.io/StackExchange.Redis/Timeouts)\\n   at StackExchange.Redis.ConnectionMultiplexer.ExecuteSyncImpl[T](Message message, ResultProcessor`1 processor, ServerEndPoint server, T defaultValue)","State":{"Message":"Redis read failed for balance:42","{OriginalFormat}":"Redis read failed for balance:42"}}'.replace("\\\\n", "\\n"), SER)

# ---------------- nginx / Envoy ----------------
T(grep1("nginx/logs/error.log", r"while reading response header from upstream"), NG)
T(grep1("nginx/logs/error.log", r"while reading upstream"), NG)
T(grep1("nginx/logs/error.log", r"while connecting to upstream"), NG)
B(grep1("nginx/logs/error.log", r"client timed out .* while reading client request headers"), NG + " (info: an idle client hit client_header_timeout)")
B(grep1("nginx/logs/error.log", r"\*1 client 127.0.0.1 closed keepalive connection"), NG)
ENV = "envoyproxy/envoy@001b1c0cd4cb18d9a3658d5453c1e534b3ff864e source/common/router/router.cc (onUpstreamTimeoutAbort body \"upstream request timeout\") + envoyproxy/envoy@02c062b5c96987f4b870d34b044b50851157c22a source/common/stream_info/utility.h (UPSTREAM_REQUEST_TIMEOUT = \"UT\"); default access log format"
T('[2026-12-01T23:44:10.512Z] "GET /v1/accounts/42/balance HTTP/1.1" 504 UT 0 24 15001 - "10.0.3.17" "okhttp/4.12.0" "6a1d2f0c-9b4e-4c51-8f0e-2d9a7c1b3e55" "ledger.internal" "10.0.5.21:8080"', ENV)
T('{"start_time":"2026-12-01T23:44:11.020Z","method":"POST","path":"/ledger.v1.Ledger/AppendEvents","protocol":"HTTP/2","response_code":504,"response_flags":"UT","response_code_details":"upstream_response_timeout","bytes_received":312,"bytes_sent":24,"duration":5002,"upstream_host":"10.0.5.21:9090","upstream_cluster":"outbound|9090||ledger.default.svc.cluster.local"}', ENV + "; source/common/stream_info/ ResponseCodeDetails ResponseTimeout")

# ---------------- gRPC ----------------
TON = "hyperium/tonic@4b8d2c46aa57e40b1e80077f4f7b7d4679027bb5 tonic/src/status.rs (v0.12.3 Display: \"status: {:?}, message: {:?}, details: {:?}, metadata: {:?}\"; TimeoutExpired -> Status::cancelled(\"Timeout expired\"))"
T('{"timestamp":"2026-12-01T23:45:00.118402Z","level":"ERROR","fields":{"message":"append to ledger failed","error":"status: DeadlineExceeded, message: \\"context deadline exceeded\\", details: [], metadata: MetadataMap { headers: {\\"content-type\\": \\"application/grpc\\"} }"},"target":"payments::ledger_client"}', TON)
T('{"timestamp":"2026-12-01T23:45:02.530117Z","level":"WARN","fields":{"message":"read model refresh failed","error":"status: Cancelled, message: \\"Timeout expired\\", details: [], metadata: MetadataMap { headers: {} }"},"target":"projections::grpc"}', TON)
GGO = "grpc/grpc-go@4793ad0474669eafbd5346c8a3d098fdfa542498 internal/status/status.go (\"rpc error: code = %s desc = %s\") + golang/go@go1.19.8 src/context/context.go (\"context deadline exceeded\")"
T('{"level":"error","ts":1796166701.5521,"caller":"ledgerclient/client.go:142","msg":"AppendEvents failed","stream":"account-42","error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}', GGO)
T('time=2026-12-01T23:46:01.552Z level=ERROR msg="GetBalance failed" account=42 err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"', GGO)
GJ = "grpc/grpc-java@5fda0c7c35a938b2b0be05cdbe168dcb0700d64a core/src/main/java/io/grpc/internal/ClientCallImpl.java (formatDeadlineExceededStatus) + api/src/main/java/io/grpc/Status.java"
T('{"@timestamp":"2026-12-01T23:47:15.004Z","@version":"1","message":"AppendEvents call failed","logger_name":"com.example.ledger.LedgerGrpcClient","thread_name":"grpc-default-executor-3","level":"ERROR","level_value":40000,"stack_trace":"io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: CallOptions deadline exceeded after 4.999846537s. Name resolution delay 0.000000000 seconds. [closed=[], open=[[buffered_nanos=131880, remote_addr=ledger/10.0.5.21:9090]]]\\n\\tat io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:268)\\n\\tat io.grpc.stub.ClientCalls.getUnchecked(ClientCalls.java:249)\\n"}', GJ)
T(open(f"{H}/node/grpc_pino.out").read().strip(), NDG)
GDN = "grpc/grpc-dotnet@91c8faf22c6571643a4a90026816bfc01e8f4946 src/Grpc.Core.Api/Status.cs (ToString) + src/Grpc.Net.Client/Internal/GrpcCall.cs (new Status(StatusCode.DeadlineExceeded, string.Empty))"
T('{"Timestamp":"2026-12-01T23:48:30.5511002Z","EventId":0,"LogLevel":"Error","Category":"Ledger.Api.Controllers.TransfersController","Message":"Transfer failed","Exception":"Grpc.Core.RpcException: Status(StatusCode=\\"DeadlineExceeded\\", Detail=\\"\\")\\n   at Grpc.Net.Client.Internal.HttpClientCallInvoker.BlockingUnaryCall[TRequest,TResponse](Method`2 method, String host, CallOptions options, TRequest request)\\n   at Ledger.Api.LedgerClient.Append(AppendRequest request)","State":{"Message":"Transfer failed","{OriginalFormat}":"Transfer failed"}}', GDN)
GDL = "grpc/grpc-dotnet@91c8faf22c6571643a4a90026816bfc01e8f4946 src/Grpc.Net.Client/Internal/GrpcCallLog.cs (EventId 7 DeadlineExceeded \"gRPC call deadline exceeded.\")"
T('{"Timestamp":"2026-12-01T23:48:30.5498213Z","EventId":7,"LogLevel":"Warning","Category":"Grpc.Net.Client.Internal.GrpcCall","Message":"gRPC call deadline exceeded.","State":{"Message":"gRPC call deadline exceeded.","{OriginalFormat}":"gRPC call deadline exceeded."}}', GDL)
GDS = "grpc/grpc-dotnet@91c8faf22c6571643a4a90026816bfc01e8f4946 src/Grpc.AspNetCore.Server/Internal/GrpcServerLog.cs (EventId 4 DeadlineExceeded)"
T('{"@t":"2026-12-01T23:48:31.0021873Z","@mt":"Request with timeout of {Timeout} has exceeded its deadline.","@l":"Debug","Timeout":"00:00:05","EventId":{"Id":4,"Name":"DeadlineExceeded"},"SourceContext":"Grpc.AspNetCore.Server.ServerCallHandler"}', GDS)
gtxt = open(f"{H}/grpc_py.out").read()
grecs = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ )", gtxt.strip())
T(grecs[0], PYG)
T(grecs[1], PYG)

# ---------------- Go net/http ----------------
for pat in [r"client_timeout: ", r"client_timeout_body: ", r"ctx_timeout: ", r"response_header_timeout: ", r"read_deadline: ", r"dial_timeout: "]:
    T(grep1("go/log.out", pat), GO)
GOS = "golang/go@go1.19.8 src/net/http/transport.go (errRequestCanceledConn) + src/net/http/client.go (\" (Client.Timeout exceeded while awaiting headers)\")"
T('E1201 23:50:02.118423    1187 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = Error response from daemon: Get \\"https://registry.internal:5000/v2/\\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)" image="registry.internal:5000/ledger-api:1.4.2"', GOS)

# ---------------- Rust ----------------
RQ11 = "seanmonstar/reqwest@cf69fd4bfe22855d576497eb94e9eb549e742475 src/error.rs (v0.11.27 Display \" for url ({url})\" + \": {source}\"; TimedOut \"operation timed out\")"
T('{"timestamp":"2026-12-01T23:51:10.004211Z","level":"ERROR","fields":{"message":"balance lookup failed","error":"error sending request for url (http://ledger:8080/v1/accounts/42/balance): operation timed out"},"target":"payments::ledger_http"}', RQ11)
RQ12 = "seanmonstar/reqwest@065a5ae5209d27d4f4e3c4409725672c49a8aa39 src/error.rs (Debug: reqwest::Error { kind, url, source }; struct TimedOut)"
T('{"timestamp":"2026-12-01T23:51:12.880310Z","level":"WARN","fields":{"message":"upstream call failed, will retry","error":"reqwest::Error { kind: Request, url: \\"http://ledger:8080/v1/accounts/42/balance\\", source: TimedOut }","attempt":1},"target":"payments::ledger_http"}', RQ12)
TK = "tokio-rs/tokio@ea91b33ca57ff0581b38e735cc108f831bccbdaa tokio/src/time/error.rs (Elapsed: \"deadline has elapsed\")"
T('{"timestamp":"2026-12-01T23:51:20.771902Z","level":"ERROR","fields":{"message":"projection checkpoint write failed","error":"deadline has elapsed","projection":"account_balances"},"target":"projections::checkpoint"}', TK)

# ---------------- Node HTTP / messaging / ORMs ----------------
T(pn("axios failed"), ND)
T(pn("axios_clarify failed"), ND)
T(pn("fetch_signal failed"), ND)
p2 = [l for l in lines("node/pino2.out") if l.startswith("{")]
def pn2(msg): return [l for l in p2 if json.loads(l).get("msg") == msg][0]
T(pn2("undici_headers failed"), ND2)
T(pn2("undici_body failed"), ND2)
T(pn2("fetch_headers failed"), ND2)
T(pn("mongoose_buffer failed"), ND)
T(pn("mongoose_buffer_insert failed"), ND)
T(pn2("mongo_select failed"), ND2)
B(grep1("node/pino2.out", r"^Executing \(default\): SET statement_timeout"), ND2 + " (Sequelize query logging)")
KJS = "tulios/kafkajs@55b0b416308b9e597a5a6b97b0a6fd6b846255dc src/network/requestQueue/socketRequest.js (\"Request ${requestInfo} timed out\") + src/network/connection.js (logError Response ...) + src/loggers/console.js"
T('{"level":"ERROR","timestamp":"2026-12-01T23:53:40.125Z","logger":"kafkajs","message":"[Connection] Response Produce(key: 0, version: 7)","broker":"kafka-0.kafka:9092","clientId":"ledger-outbox","error":"Request Produce(key: 0, version: 7) timed out","correlationId":4711,"size":0}', KJS)
PRI = "prisma/prisma-engines@08de4fc535a68b747832dcb8d7eaf83ae43a7146 libs/user-facing-errors/src/common.rs (P1008 \"Operations timed out after `{time}`. Context: {context}\")"
T('{"level":50,"time":1796167000512,"pid":41,"hostname":"orders-7c9d8","err":{"type":"PrismaClientKnownRequestError","message":"\\nInvalid `prisma.order.findMany()` invocation:\\n\\n\\nOperations timed out after `10s`. Context: Socket timeout (the database failed to respond to a query within the configured timeout — see https://pris.ly/d/mysql-connector for more details.).","code":"P1008"},"msg":"order listing failed"}', PRI)

# ---------------- Python HTTP ----------------
T(jl("py_jsonlog.out", lambda d: d["message"] == "requests failed"), PY)
T(py_rec("py_plain.out", "requests_tuple"), PY)
T(grep1("py_retry_fail.out", r"Max retries exceeded") if os.path.exists(f"{H}/py_retry_fail.out") else "2026-12-01 23:01:30,128 ERROR [app.ledger] balance lookup failed: HTTPConnectionPool(host='127.0.0.1', port=18081): Max retries exceeded with url: /v1/balance (Caused by ReadTimeoutError(\"HTTPConnectionPool(host='127.0.0.1', port=18081): Read timed out. (read timeout=1)\"))", PYR)
T(py_rec("py_plain.out", "httpx"), PY)
T(jl("py_structlog.out", lambda d: d["event"] == "httpx_async failed"), PY)
T(py_rec("py_plain.out", "aiohttp_sock_read"), PY)
T(jl("py_jsonlog.out", lambda d: d["message"] == "aiohttp_total failed"), PY)
B(grep1("py_benign_plain.out", r"connect_tcp.started"), PYB)
B(jl("py_benign_json.out", lambda d: d["message"].startswith("connect_tcp.started")), PYB)
T(grep1("py_retry_ok.out", r"Retrying \(Retry"), PYOK + " (an attempt timed out; the retry then succeeded)")
T(jl("py_retry_ok_json.out", lambda d: d["message"].startswith("Retrying")), PYOK + " (an attempt timed out; the retry then succeeded)")
B(grep1("py_retry_ok.out", r"balance lookup ok"), PYOK + " (the request after the retried read timeout succeeded)")

# ---------------- JVM ----------------
T(jrec("httpclient_request_timeout"), JV)
T(jrec("httpclient_connect_timeout"), JV)
T(jrec("urlconnection_read_timeout"), JV)
T(jrec("socket_connect_timeout"), JV)
T("\n".join(l for l in jv.split("\n") if True)[jv.index('Exception in thread "main"'):].rstrip("\n"), JV)
OK = "square/okhttp@1682d9bac8c03dffde2969b0b74d47649d0dbb52 okhttp/src/commonJvmAndroid/kotlin/okhttp3/internal/http2/Http2Stream.kt (SocketTimeoutException(\"timeout\")) and internal/connection/RealCall.kt (InterruptedIOException(\"timeout\"))"
T('{"@timestamp":"2026-12-01T23:55:02.310Z","@version":"1","message":"ledger balance call failed","logger_name":"com.example.payments.LedgerHttpClient","thread_name":"DefaultDispatcher-worker-3","level":"ERROR","level_value":40000,"stack_trace":"java.net.SocketTimeoutException: timeout\\n\\tat okhttp3.internal.http2.Http2Stream$StreamTimeout.newTimeoutException(Http2Stream.kt:731)\\n\\tat okhttp3.internal.http2.Http2Stream$StreamTimeout.exitAndThrowIfTimedOut(Http2Stream.kt:739)\\n\\tat okhttp3.internal.http2.Http2Stream.takeHeaders(Http2Stream.kt:149)\\n"}', OK)
T('2026-12-01 23:55:04.118  WARN 1 --- [nio-8080-exec-2] c.e.payments.LedgerHttpClient            : ledger call abandoned\njava.io.InterruptedIOException: timeout\n\tat okhttp3.internal.connection.RealCall.timeoutExit(RealCall.kt:467)\n\tat okhttp3.internal.connection.RealCall.callDone(RealCall.kt:396)\n\tat okhttp3.internal.connection.RealCall.getResponseWithInterceptorChain$okhttp(RealCall.kt:233)', OK)
KF = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99 clients/src/main/java/org/apache/kafka/clients/producer/internals/Sender.java (\"Expiring \" ... \" ms has passed since batch creation\")"
T('2026-12-01 23:56:30.402 ERROR 1 --- [ad | producer-1] o.s.k.support.LoggingProducerListener    : Exception thrown when sending a message with key=\'account-42\' and payload=\'{"type":"FundsDeposited","amount":1200}\' to topic ledger-events:\n\norg.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for ledger-events-3:120001 ms has passed since batch creation', KF)
KFM = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99 clients/src/main/java/org/apache/kafka/clients/producer/KafkaProducer.java (\"Topic %s not present in metadata after %d ms.\")"
T('{"@timestamp":"2026-12-01T23:56:40.010Z","@version":"1","message":"outbox relay failed to publish","logger_name":"com.example.outbox.Relay","thread_name":"outbox-relay-1","level":"ERROR","level_value":40000,"stack_trace":"org.apache.kafka.common.errors.TimeoutException: Topic ledger-events not present in metadata after 60000 ms.\\n"}', KFM)
KFN = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99 clients/src/main/java/org/apache/kafka/clients/NetworkClient.java (log.info(\"Disconnecting from node {} due to request timeout.\"))"
T('2026-12-01 23:56:12.771  INFO 1 --- [ad | producer-1] org.apache.kafka.clients.NetworkClient   : [Producer clientId=producer-1] Disconnecting from node 2 due to request timeout.', KFN)
KFC = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99 clients/src/main/java/org/apache/kafka/clients/consumer/internals/ClassicKafkaConsumer.java (\"Timeout of \" ... \"ms expired before successfully committing offsets \")"
T('{"@timestamp":"2026-12-01T23:57:01.114Z","@version":"1","message":"offset commit failed","logger_name":"com.example.projections.LedgerConsumer","thread_name":"ledger-consumer-0","level":"ERROR","level_value":40000,"stack_trace":"org.apache.kafka.common.errors.TimeoutException: Timeout of 60000ms expired before successfully committing offsets {ledger-events-3=OffsetAndMetadata{offset=81234, leaderEpoch=7, metadata=\'\'}}\\n"}'.replace("\\'", "'"), KFC)
KFCFG = "apache/kafka@1eb7644349cb07139d6a3c1ad1986979647cac99 clients/src/main/java/org/apache/kafka/common/config/AbstractConfig.java (logAll: \"<Config> values: \" then \\t<key> = <value> per line)"
B('2026-12-01 23:50:00.004  INFO 1 --- [           main] o.a.k.clients.producer.ProducerConfig    : ProducerConfig values: \n\tacks = -1\n\tbatch.size = 16384\n\tbootstrap.servers = [kafka-0.kafka:9092]\n\tdelivery.timeout.ms = 120000\n\tlinger.ms = 5\n\tmax.block.ms = 60000\n\trequest.timeout.ms = 30000\n\tretries = 2147483647\n\ttransaction.timeout.ms = 60000\n', KFCFG)
B('2026-12-01 23:50:00.512  INFO 1 --- [           main] o.a.k.clients.consumer.ConsumerConfig    : ConsumerConfig values: \n\tauto.offset.reset = earliest\n\tdefault.api.timeout.ms = 60000\n\tgroup.id = ledger-projections\n\tmax.poll.interval.ms = 300000\n\trequest.timeout.ms = 30000\n\tsession.timeout.ms = 45000\n', KFCFG)
for pat in [r"connectionTimeout\.\.\.", r"idleTimeout\.\.\.", r"validationTimeout\.\.\.", r"initializationFailTimeout"]:
    B(grep1("java/hik.out", pat), HK)

# ---------------- .NET ----------------
NH = "dotnet/runtime@0074b9298ffdf737a43cd2b348bd498574a3a20d src/libraries/System.Net.Http/src/Resources/Strings.resx (net_http_request_timedout)"
T('{"Timestamp":"2026-12-01T23:58:40.1180042Z","EventId":0,"LogLevel":"Error","Category":"Ledger.Api.Clients.FxRatesClient","Message":"FX rate lookup failed","Exception":"System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.\\n ---> System.TimeoutException: The operation was canceled.\\n ---> System.Threading.Tasks.TaskCanceledException: The operation was canceled.\\n   at System.Net.Http.HttpConnection.SendAsync(HttpRequestMessage request, Boolean async, CancellationToken cancellationToken)","State":{"Message":"FX rate lookup failed","{OriginalFormat}":"FX rate lookup failed"}}', NH)
T('{"@t":"2026-12-01T23:58:41.2330000Z","@mt":"Webhook delivery to {Endpoint} failed","@l":"Error","@x":"System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.\\n ---> System.TimeoutException: A task was canceled.\\n ---> System.Threading.Tasks.TaskCanceledException: A task was canceled.","Endpoint":"https://hooks.partner.example/ledger"}', NH)
SQC = "dotnet/SqlClient@c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3 src/Microsoft.Data.SqlClient/src/Resources/Strings.resx (SQL_Timeout_Execution)"
T('{"Timestamp":"2026-12-01T23:59:02.5540311Z","EventId":20102,"LogLevel":"Error","Category":"Microsoft.EntityFrameworkCore.Database.Command","Message":"Failed executing DbCommand (30,012ms) [Parameters=[@__accountId_0=\'?\' (DbType = Guid)], CommandType=\'Text\', CommandTimeout=\'30\']\\nSELECT [e].[Id], [e].[Amount] FROM [LedgerEntries] AS [e] WHERE [e].[AccountId] = @__accountId_0","Exception":"Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.\\n ---> System.ComponentModel.Win32Exception (258): The wait operation timed out.","State":{"{OriginalFormat}":"Failed executing DbCommand ({elapsed}ms) [Parameters=[{parameters}], CommandType=\'{commandType}\', CommandTimeout=\'{commandTimeout}\']{newLine}{commandText}"}}', SQC + " + dotnet/efcore@ecd0ba4c23377e479ce94c74119c499f1339351c src/EFCore.Relational/Properties/RelationalStrings.resx (LogCommandFailed, event 20102)")
NPG = "npgsql/npgsql@3cb5804b769b000a1fc88ad8e5e764667f0df4a1 src/Npgsql/Internal/NpgsqlConnector.cs (NpgsqlException(\"Exception while reading from stream\", new TimeoutException(\"Timeout during reading attempt\")))"
T('{"Timestamp":"2026-12-01T23:59:30.0123000Z","EventId":20102,"LogLevel":"Error","Category":"Microsoft.EntityFrameworkCore.Database.Command","Message":"Failed executing DbCommand (30,004ms) [Parameters=[@__streamId_0=\'account-42\'], CommandType=\'Text\', CommandTimeout=\'30\']\\nSELECT e.seq, e.data FROM events AS e WHERE e.stream_id = @__streamId_0 ORDER BY e.seq","Exception":"Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\\n ---> System.TimeoutException: Timeout during reading attempt\\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)","State":{"{OriginalFormat}":"Failed executing DbCommand ({elapsed}ms) [Parameters=[{parameters}], CommandType=\'{commandType}\', CommandTimeout=\'{commandTimeout}\']{newLine}{commandText}"}}', NPG + " + dotnet/efcore@ecd0ba4c23377e479ce94c74119c499f1339351c src/EFCore.Relational/Properties/RelationalStrings.resx (LogCommandFailed)")
T('{"@t":"2026-12-01T23:59:31.4410000Z","@mt":"Projection {Projection} batch failed","@l":"Error","@x":"Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\\n ---> System.TimeoutException: Timeout during reading attempt\\n   at Npgsql.Internal.NpgsqlReadBuffer.<Ensure>g__EnsureLong|55_0(NpgsqlReadBuffer buffer, Int32 count, Boolean async, Boolean readingNotifications)","Projection":"AccountBalances"}', NPG)
EFB = "dotnet/efcore@ecd0ba4c23377e479ce94c74119c499f1339351c src/EFCore.Relational/Properties/RelationalStrings.resx (LogExecutedCommand / LogExecutingCommand)"
B('{"Timestamp":"2026-12-01T23:59:00.1014421Z","EventId":20101,"LogLevel":"Information","Category":"Microsoft.EntityFrameworkCore.Database.Command","Message":"Executed DbCommand (12ms) [Parameters=[@__accountId_0=\'?\' (DbType = Guid)], CommandType=\'Text\', CommandTimeout=\'30\']\\nSELECT [e].[Id], [e].[Amount] FROM [LedgerEntries] AS [e] WHERE [e].[AccountId] = @__accountId_0","State":{"{OriginalFormat}":"Executed DbCommand ({elapsed}ms) [Parameters=[{parameters}], CommandType=\'{commandType}\', CommandTimeout=\'{commandTimeout}\']{newLine}{commandText}"}}', EFB)
B('{"@t":"2026-12-01T23:59:00.0881000Z","@mt":"Executing DbCommand [Parameters=[{parameters}], CommandType=\'{commandType}\', CommandTimeout=\'{commandTimeout}\']{newLine}{commandText}","@l":"Debug","parameters":"@__streamId_0=\'account-42\'","commandType":"Text","commandTimeout":30,"newLine":"\\n","commandText":"SELECT e.seq, e.data FROM events AS e WHERE e.stream_id = @__streamId_0 ORDER BY e.seq","EventId":{"Id":20100,"Name":"Microsoft.EntityFrameworkCore.Database.Command.CommandExecuting"},"SourceContext":"Microsoft.EntityFrameworkCore.Database.Command"}', EFB)
POL = "App-vNext/Polly@173d6d1d2e28a4697f1ac1d22da68f77ff19a0c9 src/Polly.Extensions/Telemetry/Log.cs (ResilienceEvent) + src/Polly.Core/Timeout/TimeoutRejectedException.cs"
T('{"Timestamp":"2026-12-01T23:59:50.3000000Z","EventId":0,"LogLevel":"Error","Category":"Polly","Message":"Resilience event occurred. EventName: \'OnTimeout\', Source: \'fx-rates-pipeline//Timeout\', Operation Key: \'\', Result: \'\'","State":{"Message":"Resilience event occurred. EventName: \'OnTimeout\', Source: \'fx-rates-pipeline//Timeout\', Operation Key: \'\', Result: \'\'","EventName":"OnTimeout","PipelineName":"fx-rates-pipeline","PipelineInstance":"","StrategyName":"Timeout","OperationKey":"","Result":"","{OriginalFormat}":"Resilience event occurred. EventName: \'{EventName}\', Source: \'{PipelineName}/{PipelineInstance}/{StrategyName}\', Operation Key: \'{OperationKey}\', Result: \'{Result}\'"}}', POL)
T('{"@t":"2026-12-01T23:59:50.3100000Z","@mt":"FX rate refresh failed","@l":"Error","@x":"Polly.Timeout.TimeoutRejectedException: The operation didn\'t complete within the allowed timeout.\\n   at Polly.Utils.ExceptionUtilities.TrySetStackTrace[T](T exception)\\n   at Polly.Timeout.TimeoutResilienceStrategy.ExecuteCore[TResult,TState](Func`3 callback, ResilienceContext context, TState state)"}', POL)
GDB = "grpc/grpc-dotnet@91c8faf22c6571643a4a90026816bfc01e8f4946 src/Grpc.Net.Client/Internal/GrpcCallLog.cs and src/Grpc.AspNetCore.Server/Internal/GrpcServerLog.cs"
B('{"Timestamp":"2026-12-01T23:48:25.0010000Z","EventId":5,"LogLevel":"Trace","Category":"Grpc.Net.Client.Internal.GrpcCall","Message":"Starting deadline timeout. Duration: 00:00:05.","State":{"Message":"Starting deadline timeout. Duration: 00:00:05.","DeadlineTimeout":"00:00:05","{OriginalFormat}":"Starting deadline timeout. Duration: {DeadlineTimeout}."}}', GDB)
B('{"@t":"2026-12-01T23:48:25.0020000Z","@mt":"Request deadline timeout of {Timeout} started.","@l":"Verbose","Timeout":"00:00:05","EventId":{"Id":26,"Name":"DeadlineStarted"},"SourceContext":"Grpc.AspNetCore.Server.ServerCallHandler"}', GDB)
B('{"Timestamp":"2026-12-01T23:48:29.9990000Z","EventId":25,"LogLevel":"Trace","Category":"Grpc.Net.Client.Internal.GrpcCall","Message":"Deadline timer triggered but 00:00:00.0012000 remaining before deadline exceeded. Deadline timer rescheduled.","State":{"Message":"Deadline timer triggered but 00:00:00.0012000 remaining before deadline exceeded. Deadline timer rescheduled.","Remaining":"00:00:00.0012000","{OriginalFormat}":"Deadline timer triggered but {Remaining} remaining before deadline exceeded. Deadline timer rescheduled."}}', GDB)
B('{"@t":"2026-12-01T23:48:25.2100000Z","@mt":"Request deadline stopped.","@l":"Verbose","EventId":{"Id":27,"Name":"DeadlineStopped"},"SourceContext":"Grpc.AspNetCore.Server.ServerCallHandler"}', GDB)

# ---------------- extra benign ----------------
B(grep1("pg/log/pg.log", r'parameter "idle_session_timeout" changed to "10min"'), PG)
B(pg_json(r'parameter \\"statement_timeout\\" changed to \\"15s\\"'), PG)
B(grep1("pg/log/pg.log", r"statement: SET lock_timeout = 0"), PGD)
B(grep1("pgb/pgbouncer.log", r"closing because: server lifetime over"), PGB)
B(grep1("pgb/pgbouncer.log", r"closing because: client unexpected eof"), PGB)
B("\t\t    13 Query\tSET SESSION max_statement_time=30", MY + " (general_log)")
B("\t\t    13 Query\tSET SESSION wait_timeout=600", MY + " (general_log)")
B('{"Timestamp":"2026-12-01T23:48:24.9010000Z","EventId":24,"LogLevel":"Debug","Category":"Grpc.Net.Client.Internal.GrpcCall","Message":"Deadline timeout 120.00:00:00 is above maximum allowed timeout of 99999999 seconds. Maximum timeout will be used.","State":{"Message":"Deadline timeout 120.00:00:00 is above maximum allowed timeout of 99999999 seconds. Maximum timeout will be used.","Timeout":"120.00:00:00","{OriginalFormat}":"Deadline timeout {Timeout} is above maximum allowed timeout of 99999999 seconds. Maximum timeout will be used."}}', GDB)
B('2026-12-01 23:50:01.020  INFO 1 --- [           main] o.a.k.clients.admin.AdminClientConfig    : AdminClientConfig values: \n\tbootstrap.servers = [kafka-0.kafka:9092]\n\tconnections.max.idle.ms = 300000\n\tdefault.api.timeout.ms = 60000\n\tretries = 2147483647\n\tsocket.connection.setup.timeout.ms = 10000\n', KFCFG)

# ---------------- EventCore ----------------
EC = "jwilger/eventcore@9d14b971d9c41dc85e1a25eef5fba48e71e7a710 eventcore/src/executor.rs (warn!(\"EventStore read_streams operation timed out after {:?}\") etc.) + eventcore/src/errors.rs (CommandError::Timeout \"Command execution timed out after {0:?}\")"
T('{"timestamp":"2026-12-02T00:01:10.004512Z","level":"WARN","fields":{"message":"EventStore read_streams operation timed out after 5s"},"target":"eventcore::executor","span":{"command_type":"TransferMoney","name":"execute"}}', EC, ["event_store_latency"])
T('{"timestamp":"2026-12-02T00:01:10.009877Z","level":"WARN","fields":{"message":"Command execution failed","attempt":2,"error":"Command execution timed out after 30s"},"target":"eventcore::executor"}', EC)
T('{"timestamp":"2026-12-02T00:01:12.441090Z","level":"WARN","fields":{"message":"EventStore write_events_multi operation timed out after 10s"},"target":"eventcore::executor","span":{"command_type":"OpenAccount","name":"execute"}}', EC, ["event_store_latency"])
B('{"timestamp":"2026-12-02T00:01:14.200331Z","level":"INFO","fields":{"message":"Command succeeded after retry","attempt":3},"target":"eventcore::executor"}', EC + " (info! \"Command succeeded after retry\")")
B('{"timestamp":"2026-12-02T00:01:13.100871Z","level":"INFO","fields":{"message":"Retrying command execution after delay","retry_delay_ms":200,"next_attempt":3},"target":"eventcore::executor"}', EC + " (info! \"Retrying command execution after delay\")")

out = [e for e in out if e["line"]]
with open("/tmp/tailwatch-capture/corpus/timeouts.jsonl", "w") as f:
    for e in out: f.write(json.dumps(e, ensure_ascii=False) + "\n")
from collections import Counter
print(Counter(e["category"] for e in out))
