"""Runs the JVM scenarios (java/Capture.java) and records what the JVM,
java.util.logging, slf4j-simple, HikariCP and the PostgreSQL JDBC driver
wrote on stderr, one record per logged event (stack traces kept, joined by \\n)."""
import json, os, re, subprocess, sys, time
from caplib import Sink
import slow_server

D = os.path.dirname(os.path.abspath(__file__))
JV = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[1]
JV = re.sub(r"^OpenJDK Runtime Environment \(build (.*)\)$", r"OpenJDK \1", JV)
sink = Sink("java_capture.py", "OpenJDK", runtime=JV)
CP = ":".join([D + "/java", "/usr/share/java/HikariCP.jar", "/usr/share/java/slf4j-api.jar",
               "/usr/share/java/slf4j-simple.jar", "/usr/share/java/postgresql.jar"])
START = re.compile(r"^(\[main\] |\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[.,]\d{3}|\[\d+\.\d+s\]|\[[\d\-T:.+]+\]\[|[A-Z][a-z]{2} \d\d, \d{4} \d|Exception in thread |Terminating due to |@@CAT )")
SIMPLE = ["-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS"]

def run(args, lib, default=None, accept=None, whole=False, timeout=120, crash=None, stdout=False):
    p = subprocess.run(["java"] + args, capture_output=True, text=True, cwd=D + "/java", timeout=timeout)
    text = (p.stdout if stdout else "") + p.stderr
    lines = text.rstrip("\n").split("\n")
    if whole:  # one crash record: the whole stderr
        sink.label(default, accept)
        sink.add("\n".join(l for l in lines if not l.startswith("@@CAT")), library=lib)
        return text
    recs, cur = [], []
    for l in lines:
        if START.match(l) and cur:
            recs.append(cur); cur = []
        cur.append(l)
    if cur:
        recs.append(cur)
    sink.label(default, accept)
    for r in recs:
        if r[0].startswith("@@CAT "):
            parts = r[0].split()[1:]
            sink.label(parts[0], parts[1:] or None)
            r = r[1:]
            if not r:
                continue
        line = "\n".join(r)
        lvl_benign = re.search(r"\] (DEBUG|INFO|TRACE) |\[info\]|\nINFO: |\nFINE", line[:200])
        key = re.sub(r"[\d:.,\-]+", "#", re.sub(r"^\S+ \S+ ", "", r[0]))[:70]
        cat = "benign" if lvl_benign and sink.cat != "skip" else None
        if "HikariConfig - " in line and not re.search(r"(?i)timeout|lifetime|poolsize|minimumidle|leak|configuration:", line):
            cat = "skip"
        if "Timeout failure stats" in line:
            cat = "pool_exhaustion"          # DEBUG, but only written when a getConnection() timed out
        elif re.search(r"waiting=[1-9]", line) or "due to user request" in line:
            cat = "skip"                     # ambiguous on its own: leave out
        if crash and line.startswith("Exception in thread"):
            sink.label(*crash)
        sink.add(line, cat=cat, library=lib, key=key, cap=1 if cat == "benign" else 3)
    return text

hik = "HikariCP 2.7.9 + PostgreSQL JDBC 42.5.5 / slf4j-simple 1.7.32"
pgj = "PostgreSQL JDBC 42.5.5 / slf4j-simple 1.7.32"
# 1. heap OOM (uncaught), with and without ExitOnOutOfMemoryError; GC log lines
run(["-Xmx16m", "Capture", "heap"], "OpenJDK JVM, java -Xmx16m", "memory_pressure", whole=True)
run(["-Xmx16m", "-XX:+ExitOnOutOfMemoryError", "Capture", "heap"], "OpenJDK JVM, java -Xmx16m -XX:+ExitOnOutOfMemoryError", "memory_pressure", whole=True, stdout=True)
out = subprocess.run(["java", "-Xmx16m", "-Xlog:gc*:stderr", "-XX:+UseG1GC", "Capture", "heap"], capture_output=True, text=True, cwd=D + "/java").stderr
glines = out.splitlines()
sink.label(None)
for pat in (r"\[gc\s*\] Using G1", r"\[gc,init\] Heap Min Capacity", r"\[gc,init\] Heap Max Capacity", r"Pause Young \(Normal\) \(G1 Evacuation Pause\) \d",
            r"\[gc,heap,exit\] Exit"):
    for l in glines:
        if re.search(pat, l):
            sink.add(l, cat="benign", library="OpenJDK JVM, java -Xlog:gc*"); break
for l in glines:
    if "Pause Full" in l and "->" in l:
        sink.add(l, cat="skip"); break
# 2. Metaspace OOM
run(["-XX:MaxMetaspaceSize=12m", "Capture", "metaspace"], "OpenJDK JVM, java -XX:MaxMetaspaceSize=12m", "memory_pressure", whole=True)
# 3. HttpClient timeouts: JUL default two-line format, then a one-line custom format
srv = slow_server.start(); ls, fill, hole = slow_server.black_hole()
port = str(srv.server_address[1])
run(["Capture", "http", port, str(hole)], "java.net.http.HttpClient / java.util.logging")
run(["-Djava.util.logging.SimpleFormatter.format=%1$tFT%1$tT.%1$tL%1$tz %4$s [%3$s] %5$s%6$s%n", "Capture", "http", port, str(hole)],
    "java.net.http.HttpClient / java.util.logging")
run(["Capture", "httpcrash", port], "java.net.http.HttpClient, uncaught (JVM stderr)", "panic", ["timeout"], whole=True)
srv.shutdown(); ls.close(); [f.close() for f in fill]
# 4. HikariCP
run(SIMPLE + ["-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=debug", "-cp", CP, "Capture", "hikari"], hik)
run(SIMPLE + ["-cp", CP, "Capture", "jdbccrash"], hik, "pool_exhaustion", crash=("panic", ["pool_exhaustion"]))
# 4b. HikariCP / PG JDBC against a listener whose backlog is full: connect timeouts with Caused by chains
ls, fill, hole = slow_server.black_hole()
run(SIMPLE + ["-cp", CP, "Capture", "jdbctimeout", str(hole)], hik)
ls.close(); [f.close() for f in fill]
# 5. PG JDBC errors
run(SIMPLE + ["-cp", CP, "Capture", "jdbc"], pgj)
sink.close()
