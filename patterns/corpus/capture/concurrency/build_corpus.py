#!/usr/bin/env python3
"""Build /tmp/tailwatch-capture/corpus/concurrency.jsonl from captured output (/tmp/tailwatch-capture/concurrency/...) and from
message texts read in the cited sources."""
import json, re

OUT = "/tmp/tailwatch-capture/corpus/concurrency.jsonl"
entries = []
def add(cat, line, source, accept=None):
    e = {"category": cat, "line": line, "source": source}
    if accept: e["accept"] = accept
    entries.append(e)

# ---------- captured PostgreSQL 15.18 (stderr + jsonlog) ----------
PG = "captured: PostgreSQL 15.18, "
S1 = PG + "/tmp/tailwatch-capture/concurrency/scripts/pg_scenarios.py"
S2 = PG + "/tmp/tailwatch-capture/concurrency/scripts/pg_scenarios2.py"
S3 = PG + "/tmp/tailwatch-capture/concurrency/scripts/pg_scenarios3.py"
SJ = PG + "/tmp/tailwatch-capture/concurrency/java/Capture.java"
SB = PG + "/tmp/tailwatch-capture/concurrency/scripts/pg_benign.sh"
SE = PG + "eventcore-postgres migrations (jwilger/eventcore@68c38b469b3b8b300cf4ca6400cb9abe8187bce9), /tmp/tailwatch-capture/concurrency/scripts/eventcore_trigger.sh"
pglines = open("/tmp/tailwatch-capture/concurrency/pglog/pg.log").read().split("\n")
PREFIX = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\]) (\w+):  ")
def pg_record(substr, nth=0):
    """the stderr record whose first line contains substr (nth occurrence), with its
    DETAIL/HINT/CONTEXT/STATEMENT lines and tab-indented lines"""
    hits = [i for i, l in enumerate(pglines) if substr in l and PREFIX.match(l)
            and PREFIX.match(l).group(2) not in ("DETAIL", "HINT", "CONTEXT", "STATEMENT")]
    i = hits[nth]
    pre = PREFIX.match(pglines[i]).group(1)
    rec = [pglines[i]]
    for l in pglines[i + 1:]:
        m = PREFIX.match(l)
        if l.startswith("\t") or (m and m.group(1) == pre and m.group(2) in ("DETAIL", "HINT", "CONTEXT", "STATEMENT")):
            rec.append(l)
        else:
            break
    return "\n".join(rec)
pgjson = [l for l in open("/tmp/tailwatch-capture/concurrency/pglog/pg.json").read().split("\n") if l]
def pg_json(substr, nth=0):
    return [l for l in pgjson if substr in l][nth]

# trouble: serialization failures, unique violation on a stream version
add("concurrency_conflict", pg_record("could not serialize access due to concurrent update"), S1)
add("concurrency_conflict", pg_record("read/write dependencies among transactions"), S1)
add("concurrency_conflict", pg_json("could not serialize access due to concurrent update"), S1)
add("concurrency_conflict", pg_json("read/write dependencies among transactions"), S1)
add("concurrency_conflict", pg_record("events_stream_id_version_key"), S1)
add("concurrency_conflict", pg_json("events_stream_id_version_key"), S1)
add("concurrency_conflict", pg_record("eventcore_events_stream_version_idx"), SE)
add("concurrency_conflict", pg_record("event_journal_pkey"), SJ)
# trouble: deadlocks, lock waits, lock timeouts
add("deadlock", pg_record("ERROR:  deadlock detected", 0), S1)
add("deadlock", pg_record("ERROR:  deadlock detected", 1), S1)   # advisory locks
add("deadlock", pg_json('"message":"deadlock detected"', 0), S1)
add("deadlock", pg_json('"message":"deadlock detected"', 1), S1)
add("deadlock", pg_record("detected deadlock while waiting for ShareLock", 1), S2)
add("deadlock", pg_json("detected deadlock while waiting for ExclusiveLock on advisory lock"), S1)
add("deadlock", pg_record("still waiting for ShareLock on transaction", 0), S1)
add("deadlock", pg_record("still waiting for AccessExclusiveLock on relation"), S1)
add("deadlock", pg_json("still waiting for ShareLock on transaction", 0), S1)
add("deadlock", pg_record("still waiting for AccessShareLock on relation"), S3)
add("deadlock", pg_record("canceling statement due to lock timeout", 0), S1)
add("deadlock", pg_json("canceling statement due to lock timeout"), S1)
add("deadlock", pg_record("could not obtain lock on row in relation"), S1)
add("deadlock", pg_json("could not obtain lock on relation"), S1)
# benign: settings, granted waits, a soft deadlock avoided, vacuum skipping a locked table
add("benign", pg_record('parameter "deadlock_timeout" changed to "10ms"'), S2)
add("benign", pg_json('parameter \\"deadlock_timeout\\" changed to \\"1s\\"'), S2)
add("benign", pg_record('parameter "lock_timeout" changed to "5s"'), S3)
add("benign", pg_json('parameter \\"lock_timeout\\" changed to \\"0\\"'), S3)
add("benign", pg_record('parameter "log_lock_waits" changed to "on"'), S3)
add("benign", pg_json('parameter \\"log_lock_waits\\" changed to \\"off\\"'), S3)
add("benign", pg_record("acquired ShareLock on transaction", 1), S2)       # after 67.592 ms
add("benign", pg_json("acquired ShareLock on transaction", 0), S1)
add("benign", pg_record("acquired AccessExclusiveLock on relation"), S1)
add("benign", pg_json("acquired AccessShareLock on relation"), S3)
add("benign", pg_record("avoided deadlock for AccessShareLock"), S3)
add("benign", pg_json("avoided deadlock for AccessShareLock"), S3)
add("benign", pg_record('skipping vacuum of "orders" --- lock not available'), S3)
add("benign", pg_json("skipping vacuum of"), S3)
add("benign", pg_record("statement: set deadlock_timeout = '200ms';"), SB)
add("benign", pg_json("statement: set lock_timeout = '2s';"), SB)
add("benign", pg_record("statement: begin isolation level serializable;"), SB)

# ---------- captured MariaDB 10.11.19 ----------
SM = "captured: MariaDB 10.11.19, /tmp/tailwatch-capture/concurrency/scripts/mariadb_scenarios.py (innodb_print_all_deadlocks=ON)"
mlines = open("/tmp/tailwatch-capture/concurrency/mariadb-error.log").read().split("\n")
i = next(k for k, l in enumerate(mlines) if "Transactions deadlock detected, dumping detailed information." in l)
add("deadlock", mlines[i], SM)
j = next(k for k, l in enumerate(mlines) if "*** WE ROLL BACK TRANSACTION (1)" in l and "[Note]" in l)
add("deadlock", "\n".join(mlines[i:j + 1]), SM)          # the whole report as MariaDB writes it
add("deadlock", mlines[j], SM)
k = next(k for k, l in enumerate(mlines) if l == "LATEST DETECTED DEADLOCK")
add("deadlock", "\n".join(mlines[k - 1:k + 3]), "captured: MariaDB 10.11.19, innodb_status_output=ON monitor output, /tmp/tailwatch-capture/concurrency/scripts/mariadb_scenarios.py")

# ---------- captured Python client tracebacks / JSON ----------
TS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} |\{)")
def records(path):
    recs, cur = [], []
    for l in open(path).read().split("\n"):
        if TS.match(l) or l.startswith("Exception in thread"):
            if cur: recs.append(cur)
            cur = [l]
        elif cur:
            cur.append(l)
    if cur: recs.append(cur)
    return ["\n".join(r).rstrip("\n") for r in recs]
def rec_with(path, *subs, nth=0):
    return [r for r in records(path) if all(s in r for s in subs)][nth]
PSY = "captured: psycopg 3.3.9 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/pg_scenarios.py"
P = "/tmp/tailwatch-capture/concurrency/scripts/pg_scenarios.out"
add("deadlock", rec_with(P, "transfer failed", "DeadlockDetected"), PSY)
add("concurrency_conflict", rec_with(P, "deposit failed", "SerializationFailure"), PSY)
add("concurrency_conflict", rec_with(P, "withdraw failed", "read/write dependencies"), PSY)
add("deadlock", rec_with(P, "update failed", "lock timeout"), PSY)
add("deadlock", rec_with(P, "claim failed", "could not obtain lock on row"), PSY)
add("concurrency_conflict", rec_with(P, "append to stream order-42 failed"), PSY)
add("deadlock", rec_with(P, "lock failed", "advisory lock"), PSY)
PO = "/tmp/tailwatch-capture/concurrency/scripts/py_orm.out"
SA = "captured: SQLAlchemy 2.1.9 + psycopg 3.3.9 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/py_orm.py"
add("concurrency_conflict", rec_with(PO, "failed to cancel order 1", "StaleDataError"), SA)
add("concurrency_conflict", rec_with(PO, '"message": "failed to cancel order"'), SA.replace("SQLAlchemy 2.1.9", "SQLAlchemy 2.1.9 + python-json-logger 4.2.0"))
add("concurrency_conflict", rec_with(PO, '"event": "deposit_failed"'), SA.replace("SQLAlchemy 2.1.9", "SQLAlchemy 2.1.9 + structlog 26.1.0"))
add("concurrency_conflict", rec_with(PO, "deposit failed", "sqlalchemy.exc.OperationalError"), SA)
add("deadlock", rec_with(PO, '"message": "transfer failed"', "DeadlockDetected"), SA.replace("SQLAlchemy 2.1.9", "SQLAlchemy 2.1.9 + python-json-logger 4.2.0"))
AP = "captured: asyncpg 0.32.0 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/py_orm.py"
add("concurrency_conflict", rec_with(PO, '"event": "withdrawal_failed"'), AP.replace("0.32.0", "0.32.0 + structlog 26.1.0"))
add("deadlock", rec_with(PO, "transfer failed", "DeadlockDetectedError"), AP)
DJ = "captured: Django 5.2.19 + psycopg 3.3.9 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/py_orm.py"
add("deadlock", rec_with(PO, "Internal Server Error: /api/accounts/1/lock"), DJ)
add("deadlock", rec_with(PO, '"message": "Internal Server Error: /api/transfers/"'), DJ.replace("5.2.19", "5.2.19 + python-json-logger 4.2.0"))
MP = "/tmp/tailwatch-capture/concurrency/scripts/mariadb_scenarios.out"
PM = "captured: PyMySQL 1.2.4 + MariaDB 10.11.19, /tmp/tailwatch-capture/concurrency/scripts/mariadb_scenarios.py"
add("deadlock", rec_with(MP, "1213"), PM)
add("deadlock", rec_with(MP, "1205"), PM)
add("concurrency_conflict", rec_with("/tmp/tailwatch-capture/concurrency/scripts/mariadb_unique.out", "1062"), PM.replace("mariadb_scenarios.py", "mariadb_unique.py"))
# benign Python: a versioned UPDATE that matched
SB2 = "captured: SQLAlchemy 2.1.9 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/py_benign.py"
bl = open("/tmp/tailwatch-capture/concurrency/scripts/py_benign.out").read().split("\n")
add("benign", next(l for l in bl if "UPDATE sa_orders SET" in l), SB2)
add("benign", next(l for l in bl if "[generated in" in l and "version_id" in l), SB2)

# ---------- captured Java: PgJDBC 42.5.5 + slf4j-simple ----------
JR = records.__globals__  # noqa
def jrecords(path):
    recs, cur = [], []
    for l in open(path).read().split("\n"):
        if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[", l):
            if cur: recs.append(cur)
            cur = [l]
        elif cur: cur.append(l)
    if cur: recs.append(cur)
    return ["\n".join(r).rstrip("\n") for r in recs]
jr = jrecords("/tmp/tailwatch-capture/concurrency/java/capture.out")
SJJ = "captured: PgJDBC 42.5.5 + slf4j-simple 1.7.32 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/java/Capture.java"
add("deadlock", next(r for r in jr if "deadlock detected" in r), SJJ)
add("concurrency_conflict", next(r for r in jr if "could not serialize" in r), SJJ)
add("deadlock", next(r for r in jr if "lock timeout" in r), SJJ)
add("concurrency_conflict", next(r for r in jr if "event_journal_pkey" in r), SJJ)

# ---------- captured Node: pino 10.4.0 ----------
nl = open("/tmp/tailwatch-capture/concurrency/node/capture.out").read().split("\n")
def nline(s): return next(l for l in nl if s in l)
NS = "captured: {lib} + pino 10.4.0, /tmp/tailwatch-capture/concurrency/node/capture.js"
add("concurrency_conflict", nline("SequelizeOptimisticLockError"), NS.format(lib="Sequelize 6.37.8 + pg 8.23.1 + PostgreSQL 15.18"))
add("deadlock", nline('"message":"deadlock detected"'), NS.format(lib="Sequelize 6.37.8 + pg 8.23.1 + PostgreSQL 15.18"))
add("concurrency_conflict", nline('"message":"could not serialize access'), NS.format(lib="Sequelize 6.37.8 + pg 8.23.1 + PostgreSQL 15.18"))
add("deadlock", nline("ER_LOCK_DEADLOCK"), NS.format(lib="mysql2 + MariaDB 10.11.19"))
add("deadlock", nline("ER_LOCK_WAIT_TIMEOUT"), NS.format(lib="mysql2 + MariaDB 10.11.19"))
add("concurrency_conflict", nline("OptimisticLockVersionMismatchError"), NS.format(lib="TypeORM 1.1.1 + PostgreSQL 15.18"))
add("concurrency_conflict", nline("VersionError"), NS.format(lib="mongoose 9.12.1 (VersionError as constructed by lib/error/version.js)"))
nb = open("/tmp/tailwatch-capture/concurrency/node/benign.out").read().split("\n")
add("benign", next(l for l in nb if l.startswith("Executing (default): UPDATE")), "captured: Sequelize 6.37.8 (version: true) + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/node/benign.js")
add("benign", next(l for l in nb if "Item_version" in l), "captured: TypeORM 1.1.1 (simple-console logger, optimistic lock read) + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/node/benign.js")
nb2 = open("/tmp/tailwatch-capture/concurrency/node/benign2.out").read().split("\n")
add("benign", next(l for l in nb2 if "ISOLATION LEVEL SERIALIZABLE" in l), "captured: Sequelize 6.37.8 + PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/node/benign2.js")

exec(open("/tmp/tailwatch-capture/concurrency/build_corpus_src.py").read())

DROP = {12, 50}   # same software + format as a kept line (spread)
with open("/tmp/tailwatch-capture/concurrency/corpus_full.jsonl", "w") as f:
    for e in entries:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
with open(OUT, "w") as f:
    for n, e in enumerate(entries, 1):
        if n not in DROP:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
entries = [e for n, e in enumerate(entries, 1) if n not in DROP]
from collections import Counter
print(Counter(e["category"] for e in entries))
