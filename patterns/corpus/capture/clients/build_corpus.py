"""Merges out/*.jsonl into /tmp/tailwatch-capture/corpus/captured-clients.jsonl, keeping at
most CAP lines of the same underlying message (round-robin over the scripts
and logging formats so every library keeps a line)."""
import glob, json, os, re
from collections import defaultdict

D = os.path.dirname(os.path.abspath(__file__))
DEST = "/tmp/tailwatch-capture/corpus/captured-clients.jsonl"
CAP = 4
SIGS = [r"statement timeout", r"deadlock detected", r"could not serialize access", r"lock timeout",
        r"could not obtain lock", r"too many clients", r"Command timed out", r"OOM command not allowed",
        r"QueuePool limit", r"PoolTimeout", r"timeout exceeded when trying to connect", r"Read timed out",
        r"request timed out", r"HTTP connect timed out", r"Java heap space", r"Metaspace",
        r"Reached heap limit", r"Connection is not available", r"Timeout acquiring a connection",
        r"Acquire connection error", r"idle-in-transaction", r"idle-session", r"Query read timeout",
        r"StaleDataError", r"stale model instance", r"optimistic lock", r"UniqueViolation|duplicate key",
        r"ConnectionAcquireTimeoutError", r"Connection leak detection", r"MemoryError", r"timeout of \d+ms exceeded",
        r"ConnectTimeout", r"httpx\.ReadTimeout", r"error connecting in", r"connection timeout", r"Retrying \(Retry"]

def key(e):
    line = e["line"]
    for s in SIGS:
        if re.search(s, line):
            return s
    return re.sub(r"\d+", "#", line)[:80]

entries = []
for f in sorted(glob.glob(os.path.join(D, "out", "*.jsonl"))):
    with open(f) as fh:
        entries += [json.loads(l) for l in fh if l.strip()]
seen, uniq = set(), []
for e in entries:                      # the same exact line twice (e.g. two OOM runs) is kept once
    if e["line"] not in seen:
        seen.add(e["line"]); uniq.append(e)
entries = uniq
groups = defaultdict(list)
for i, e in enumerate(entries):
    groups[("B" if e["category"] == "benign" else "T", e["category"], key(e))].append(i)
keep = set()
for (kind, cat, k), idx in groups.items():
    cap = CAP if kind == "T" else 3
    # round-robin over sources so each library/format keeps one line before any keeps two
    by_src = defaultdict(list)
    for i in idx:
        by_src[entries[i]["source"]].append(i)
    order = []
    while any(by_src.values()):
        for s in list(by_src):
            if by_src[s]:
                order.append(by_src[s].pop(0))
    keep.update(order[:cap])
os.makedirs(os.path.dirname(DEST), exist_ok=True)
tmp = DEST + ".tmp"
with open(tmp, "w") as out:
    for i, e in enumerate(entries):
        if i in keep:
            out.write(json.dumps(e, ensure_ascii=False) + "\n")
os.replace(tmp, DEST)
n = defaultdict(int)
for i in keep:
    n[entries[i]["category"]] += 1
print("corpus:", sum(n.values()), "entries;", dict(sorted(n.items())),
      "trouble", sum(v for k, v in n.items() if k != "benign"), "benign", n["benign"])
