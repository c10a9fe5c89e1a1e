"""Shared capture helpers: a corpus sink that records exactly what a real
logging formatter wrote, tagged with the category the scenario provokes."""
import json, logging, os, re, sys, platform

# a benign line is kept only when it holds a word a trouble rule could trip on
TRAP = re.compile(r"(?i)pool|timeout|timed|deadlock|lock|memory|heap|retr|lag|conflict|version|exhaust|"
                  r"oom|serializ|cancel|acquir|wait|limit|overflow|stale|idle|max|connect|dispos|"
                  r"recycl|evict|queue|commit|rollback|gc|slow|error|fail")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")
PG_DSN = "postgresql://postgres@127.0.0.1:55433/cap"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:55433/cap"
PYVER = "CPython " + platform.python_version()

# debug traces of a failure in progress are not benign: leave them out of the corpus
DROP_BENIGN = re.compile(r"\.failed exception=|Incremented Retry|Invalidate connection")


class Sink:
    """Collects corpus entries for one script; `cat` is the current label."""

    def __init__(self, script, library, runtime=PYVER):
        self.runtime = runtime
        os.makedirs(OUT, exist_ok=True)
        self.path = os.path.join(OUT, os.path.splitext(script)[0] + ".jsonl")
        self.raw = open(os.path.join(OUT, os.path.splitext(script)[0] + ".log"), "w")
        self.f = open(self.path, "w")
        self.script = script
        self.library = library
        self.cat = None
        self.accept = None
        self.n = {"trouble": 0, "benign": 0}
        self.seen = {}

    def label(self, cat, accept=None):
        self.cat, self.accept = cat, accept

    def add(self, line, cat=None, library=None, key=None, cap=2):
        line = line.rstrip("\n")
        self.raw.write(line + "\n"); self.raw.flush()
        cat = "skip" if self.cat == "skip" else (cat or self.cat)
        if not cat or cat == "skip" or not line.strip():
            return
        if cat == "benign" and (not TRAP.search(line) or DROP_BENIGN.search(line)):
            return
        if key is not None:
            k = (cat, key)
            self.seen[k] = self.seen.get(k, 0) + 1
            if self.seen[k] > cap:
                return
        e = {"category": cat, "line": line,
             "source": f"captured: {library or self.library} ({self.runtime}), capture/clients/{self.script}"}
        if self.accept and cat != "benign":
            e["accept"] = list(self.accept)
        self.f.write(json.dumps(e, ensure_ascii=False) + "\n"); self.f.flush()
        self.n["benign" if cat == "benign" else "trouble"] += 1

    def close(self):
        self.f.close(); self.raw.close()
        print(f"{self.script}: {self.n}", file=sys.stderr)


class SinkHandler(logging.Handler):
    """A logging handler that appends the formatter's exact output to the sink."""

    def __init__(self, sink, formatter, library=None, tag="", routine_benign=True):
        super().__init__(logging.DEBUG)
        self.sink = sink
        self.library = library
        self.tag = tag
        self.routine_benign = routine_benign
        self.setFormatter(formatter)

    def emit(self, record):
        try:
            cat = None
            if self.routine_benign and record.levelno < logging.WARNING:
                cat = "benign"
            key = (self.tag, record.name, str(record.msg)[:60])
            self.sink.add(self.format(record), cat=cat, library=self.library, key=key,
                          cap=1 if cat == "benign" else 3)
        except Exception:
            self.handleError(record)


class SinkFile:
    """File-like object for structlog's WriteLoggerFactory / PrintLoggerFactory."""

    def __init__(self, sink, library=None):
        self.sink, self.library, self.buf = sink, library, ""

    def write(self, s):
        self.buf += s
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            self.sink.add(line, library=self.library)

    def flush(self):
        pass


def ver(mod):
    from importlib.metadata import version
    return version(mod)
