import json
R = [json.loads(l) for l in open("/tmp/tailwatch-capture/event_sourcing/records.jsonl")]
def rec(src_suffix, startswith):
    for r in R:
        if r["source"].endswith(src_suffix) and r["line"].lstrip("\n").startswith(startswith):
            return r["line"].lstrip("\n")
    raise SystemExit(f"no record {src_suffix} {startswith!r}")
E = []
def add(cat, line, source, accept=None):
    e = {"category": cat, "line": line, "source": source}
    if accept: e["accept"] = accept
    E.append(e)
j = lambda o: json.dumps(o, separators=(",", ":"), ensure_ascii=False)
CAP = "captured: "
D = "/tmp/tailwatch-capture/panics/"
PY = "Python 3.11.7"; NODE = "Node.js 20.20.2"; JDK = "OpenJDK 17.0.15"; RUST = "rustc 1.95.0"; GO = "Go 1.19.8"; PG = "PostgreSQL 15.20"; K = "Linux 6.18.44 kernel (dmesg)"
P = "panic"
# Python
add(P, rec("py_thread.out", "Exception in thread projector:"), f"{CAP}{PY}, {D}py_thread.py (threading.excepthook)")
add(P, rec("py_asyncio.out", "Task exception was never retrieved"), f"{CAP}{PY}, {D}py_asyncio.py (asyncio default exception handler)")
add(P, rec("py_segv.out", "Fatal Python error"), f"{CAP}{PY} (-X faulthandler), {D}py_segv.py")
# Node
add(P, rec("node_uncaught.out", "Node.js v"), f"{CAP}{NODE}, {D}node_uncaught.js")
add(P, rec("node_rejection.out", "UnhandledPromiseRejection:"), f"{CAP}{NODE}, {D}node_rejection.js")
add(P, "[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"#<Object>\".] {",
    "nodejs/node@025930b860bbba10c69a809b6fd9255645f5d8aa lib/internal/process/promises.js (generateUnhandledRejectionError, printed without stack by Node 15-18; output quoted in nodejs/node#43326 for v18.20.8)")
add(P, "(node:20920) UnhandledPromiseRejectionWarning: Unhandled promise rejection. This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). To terminate the node process on unhandled promise rejection, use the CLI flag `--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode). (rejection id: 3)",
    "nodejs/node@025930b860bbba10c69a809b6fd9255645f5d8aa lib/internal/process/promises.js (emitUnhandledRejectionWarning; default mode before Node 15, --unhandled-rejections=warn after)")
# JVM
add(P, rec("java/npe.out", "Exception in thread"), f"{CAP}{JDK}, {D}java/Npe.java")
add(P, rec("java/worker.out", "Exception in thread"), f"{CAP}{JDK}, {D}java/Worker.java")
add(P, rec("java/crash.out", "# A fatal error has been detected"), f"{CAP}{JDK}, {D}java/Crash.java")
add(P, rec("java/crash.out", "#  SIGSEGV"), f"{CAP}{JDK}, {D}java/Crash.java")
add(P, rec("java/crash.out", "# /tmp/tailwatch-capture/panics/java/hs_err_pid"), f"{CAP}{JDK}, {D}java/Crash.java")
# Rust
add(P, rec("rust/unwrap_nobt.out", "thread 'main'"), f"{CAP}{RUST}, {D}rust/unwrap.rs")
add(P, rec("rust/named.out", "thread 'projector'"), f"{CAP}{RUST}, {D}rust/named.rs")
add(P, rec("rust/index.out", "thread 'main'"), f"{CAP}{RUST} (RUST_BACKTRACE=1), {D}rust/index.rs")
add(P, rec("rust/overflow.out", "thread 'main'"), f"{CAP}{RUST}, {D}rust/overflow.rs")
add(P, rec("rust/overflow.out", "fatal runtime error"), f"{CAP}{RUST}, {D}rust/overflow.rs")
add(P, rec("rust/doublepanic.out", "thread caused non-unwinding panic"), f"{CAP}{RUST}, {D}rust/doublepanic.rs")
add(P, "thread 'tokio-runtime-worker' panicked at 'called `Result::unwrap()` on an `Err` value: Error(\"expected value\", line: 1, column: 1)', mev-rs/src/engine_api_proxy/server.rs:121:85",
    "https://github.com/ralexstokes/mev-rs/issues/79 (output quoted in the issue; thread name from tokio-rs/tokio tokio/src/runtime/builder.rs)")
add(P, "thread 'tokio-runtime-worker' panicked at src\\providers\\modio.rs:191:64:",
    "https://github.com/trumank/mint/issues/259 (output quoted in the issue)")
add(P, j({"timestamp":"2026-03-14T09:12:44.551902Z","level":"ERROR","fields":{"message":"A panic occurred","panic.payload":"called `Option::unwrap()` on a `None` value","panic.location":"src/projection.rs:88:14"},"target":"tracing_panic"}),
    "LukeMathWalker/tracing-panic@2fb18d08f8edd0d5eae4e69cd51937515ba7beb0 src/lib.rs")
# Go
add(P, rec("go/nilderef.out", "panic: runtime error: invalid memory"), f"{CAP}{GO}, {D}go/nilderef.go")
add(P, rec("go/mapwrites.out", "fatal error: concurrent map writes"), f"{CAP}{GO}, {D}go/mapwrites.go")
add(P, rec("go/deadlock.out", "fatal error: all goroutines"), f"{CAP}{GO}, {D}go/deadlock.go")
add(P, rec("go/custompanic.out", "panic: apply event"), f"{CAP}{GO}, {D}go/custompanic.go")
add(P, rec("go/index.out", "panic: runtime error: index out of range"), f"{CAP}{GO}, {D}go/index.go")
# .NET
add(P, "Unhandled exception. System.InvalidOperationException: Sequence contains no elements\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\n   at Ledger.Projector.Program.<Main>$(String[] args) in /src/Ledger.Projector/Program.cs:line 27\n   at Ledger.Projector.Program.<Main>(String[] args)",
    "dotnet/runtime@2aa966e9efb74c53fdfc79e392d43c3bd09cb724 src/tests/baseservices/exceptions/unhandled/unhandledTester.cs (header \"Unhandled exception. \" + exception ToString)")
add(P, j({"Timestamp":"2026-03-14T09:31:05.0219882Z","EventId":10,"LogLevel":"Critical","Category":"Microsoft.Extensions.Hosting.Internal.Host","Message":"The HostOptions.BackgroundServiceExceptionBehavior is configured to StopHost. A BackgroundService has thrown an unhandled exception, and the IHost instance is stopping. To avoid this behavior, configure this to Ignore; however the BackgroundService will not be restarted.","Exception":"Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Error starting gRPC call. HttpRequestException: Connection refused (esdb-0:2113)\")","State":{"{OriginalFormat}":"The HostOptions.BackgroundServiceExceptionBehavior is configured to StopHost. A BackgroundService has thrown an unhandled exception, and the IHost instance is stopping. To avoid this behavior, configure this to Ignore; however the BackgroundService will not be restarted."}}),
    "dotnet/runtime@0f4257ae362cddf39006ad2a168cd5d67f25dcd2 src/libraries/Microsoft.Extensions.Hosting/src/Resources/Strings.resx (BackgroundServiceExceptionStoppedHost)")
# kernel
add(P, rec("kernel/dmesg_segfault.txt", "[ 9110.062984] projector-worke"), f"{CAP}{K}, {D}kernel/nullread.c")
add(P, rec("kernel/dmesg_traps.txt", "[ 9114.494458] traps:"), f"{CAP}{K}, {D}kernel/divzero.c")
add(P, "Mar 14 09:12:44 ledger-01 kernel: ledger-projecto[48213]: segfault at 0 ip 000055d0c1a2b14d sp 00007ffd8e1c2a40 error 4 in ledger-projector[114d,55d0c1a2a000+1f000] likely on CPU 1 (core 1, socket 0)",
    "torvalds/linux@f0bb4c0ab064a8aeeffbda1cee380151a594eaab arch/x86/mm/fault.c (show_signal_msg; same format as captured kernel/dmesg_segfault.txt)")
# systemd
SD = "systemd/systemd@000d658296a8e26b08c6a319033b2a0c2784455f src/core/service.c"
SDU = "systemd/systemd@23a749f2857088547c8ef3966e96b37c71510a1b src/core/unit.c"
add(P, "Mar 14 09:12:44 ledger-01 systemd[1]: ledger-projector.service: Main process exited, code=killed, status=11/SEGV", SD)
add(P, "Mar 14 09:20:03 ledger-01 systemd[1]: ledger-api.service: Main process exited, code=dumped, status=6/ABRT", SD)
add(P, "Mar 14 09:12:44 ledger-01 systemd[1]: ledger-projector.service: Failed with result 'core-dump'.", SDU + " (unit_log_failure)")
add(P, "Mar 14 09:27:51 ledger-01 systemd[1]: ledger-worker.service: Failed with result 'signal'.", SDU + " (unit_log_failure)")
# kubelet
KUB = "kubernetes/kubernetes@83f7b41cf6602957de9fb7b0eab31d95f6772557 pkg/kubelet/kuberuntime/kuberuntime_manager.go"
add(P, "E0314 09:12:44.118204    2315 pod_workers.go:1301] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"projector\\\" with CrashLoopBackOff: \\\"back-off 5m0s restarting failed container=projector pod=ledger-projector-7d9c8b5f4-x2kqp_prod(8e1f2c3a-4b5d-4e6f-8a7b-9c0d1e2f3a4b)\\\"\" pod=\"prod/ledger-projector-7d9c8b5f4-x2kqp\" podUID=\"8e1f2c3a-4b5d-4e6f-8a7b-9c0d1e2f3a4b\"",
    KUB + " + pkg/kubelet/pod_workers.go + pkg/kubelet/container/sync_result.go")
add(P, "I0314 09:12:44.118011    2315 kuberuntime_manager.go:1167] \"Back-off restarting failed container\" err=\"back-off 40s restarting failed container=projector pod=ledger-projector-7d9c8b5f4-x2kqp_prod(8e1f2c3a-4b5d-4e6f-8a7b-9c0d1e2f3a4b)\"", KUB)
add(P, j({"kind":"Event","apiVersion":"v1","metadata":{"name":"ledger-projector-7d9c8b5f4-x2kqp.17c0a9b3f2e4d1a0","namespace":"prod"},"involvedObject":{"kind":"Pod","namespace":"prod","name":"ledger-projector-7d9c8b5f4-x2kqp","fieldPath":"spec.containers{projector}"},"reason":"BackOff","message":"Back-off restarting failed container projector in pod ledger-projector-7d9c8b5f4-x2kqp_prod(8e1f2c3a-4b5d-4e6f-8a7b-9c0d1e2f3a4b)","source":{"component":"kubelet","host":"node-7"},"count":87,"type":"Warning","firstTimestamp":"2026-03-14T08:40:02Z","lastTimestamp":"2026-03-14T09:12:44Z"}), KUB)
# PostgreSQL postmaster
add(P, rec("pg/postgres.log", "2026-12-01 22:58:22.030 UTC [29443] LOG:  server process (PID 29455) was terminated by signal 11"), f"{CAP}{PG}, {D}pg/capture.sh (kill -SEGV of a backend)")
add(P, rec("pg/postgres.log", "2026-12-01 22:58:26.140 UTC [29443] LOG:  server process (PID 29613) was terminated by signal 6"), f"{CAP}{PG}, {D}pg/capture.sh (kill -ABRT of a backend)")
add(P, rec("pg/postgres.log", "2026-12-01 22:58:30.254 UTC [29443] LOG:  server process (PID 29748) was terminated by signal 9"), f"{CAP}{PG}, {D}pg/capture.sh (kill -KILL of a backend)", accept=["memory_pressure"])
add(P, rec("pg/postgres.log", "2026-12-01 22:58:22.030 UTC [29443] LOG:  terminating any other active server processes"), f"{CAP}{PG}, {D}pg/capture.sh")
add(P, "2026-03-14 09:12:44.118 UTC [4242] PANIC:  could not write to file \"pg_wal/xlogtemp.4242\": No space left on device",
    "postgres/postgres@c360594155e5c0704a952d6b26a01bcbe07cd591 src/backend/access/transam/xlog.c (write error in a critical section, reported at PANIC)")
add(P, "2026-09-26 10:23:30.182 UTC [96] LOG:  client backend (PID 316) was terminated by signal 6: Aborted",
    "postgres/postgres@feeac41bc6d63b5929af82d4ebbb7c10f3648ac0 src/backend/postmaster/postmaster.c (LogChildExit: \"%s (PID %d) was terminated by signal %d: %s\", process type named since PostgreSQL 17)")

# ---------------- benign ----------------
B = "benign"
add(B, rec("pg/postgres.log", "2026-12-01 22:58:33.286 UTC [29443] LOG:  background worker"), f"{CAP}{PG}, {D}pg/capture.sh (fast shutdown)")
add(B, rec("pg/postgres.log", "2026-12-01 22:58:33.275 UTC [29443] LOG:  aborting any active transactions"), f"{CAP}{PG}, {D}pg/capture.sh (fast shutdown)")
add(B, rec("pg/postgres.log", "2026-12-01 22:58:33.274 UTC [29443] LOG:  received fast shutdown request"), f"{CAP}{PG}, {D}pg/capture.sh")
add(B, rec("pg/postgres.log", "2026-12-01 22:58:20.870 UTC [29446] LOG:  database system was shut down at"), f"{CAP}{PG}, {D}pg/capture.sh")
add(B, rec("java/tooloptions.out", "Picked up JAVA_TOOL_OPTIONS"), f"{CAP}{JDK}, JAVA_TOOL_OPTIONS=... java -version (see {D}README.md)")
add(B, rec("go/httppanic.out", "2026/12/01"), f"{CAP}{GO}, {D}go/httppanic.go (net/http recovered the handler panic; server keeps running)")
add(B, rec("go/httppanic.out", "goroutine 9 [running]:"), f"{CAP}{GO}, {D}go/httppanic.go (stack of the recovered handler panic)")
add(B, "Mar 14 08:00:02 ledger-01 systemd[1]: ledger-migrate.service: Main process exited, code=exited, status=0/SUCCESS", SD)
add(B, "Mar 14 08:00:02 ledger-01 systemd[1]: ledger-migrate.service: Deactivated successfully.", SDU + " (unit_log_success)")
add(B, j({"Timestamp":"2026-03-14T17:00:00.2210044Z","EventId":0,"LogLevel":"Information","Category":"Microsoft.Hosting.Lifetime","Message":"Application is shutting down...","State":{"{OriginalFormat}":"Application is shutting down..."}}),
    "dotnet/runtime@9ca19805cb2e227458c8b95593563f7fe4e6651b src/libraries/Microsoft.Extensions.Hosting/src/Internal/ConsoleLifetime.cs")
add(B, "[    0.000000] Kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-cloud-amd64 root=PARTUUID=4f1c2d3e-01 ro console=ttyS0,115200 panic=10 oops=panic",
    "torvalds/linux@f0bb4c0ab064a8aeeffbda1cee380151a594eaab init/main.c (\"Kernel command line: %s\"; panic= and oops= are documented boot parameters)")
add(B, open(D + "py_retry.out").read().splitlines()[0], f"{CAP}{PY} + urllib3 2.7.0, {D}py_retry.py (the request succeeded on a later attempt)")

add(B, "     Running `rustc --crate-name ledger_projector --edition=2021 src/main.rs --error-format=json --json=diagnostic-rendered-ansi,artifacts,future-incompat --crate-type bin --emit=dep-info,link -C opt-level=3 -C panic=abort -C codegen-units=1 -C metadata=4f2c1e9a8b7d6c5e --out-dir /src/target/release/deps -L dependency=/src/target/release/deps`",
    "rust-lang/cargo@4b93690c9dafe1a67312cdff1f55f1f3e1484a0f src/cargo/core/compiler/mod.rs (cargo build -v: \"Running `...`\" with -C panic=<strategy> from profile.panic)")
with open("/tmp/tailwatch-capture/corpus/panics.jsonl", "w") as f:
    for e in E: f.write(json.dumps(e, ensure_ascii=False) + "\n")
from collections import Counter
print(Counter(e["category"] for e in E))
