#!/usr/bin/env bash
# Peer benchmark: tailwatch against the tools a user would otherwise reach
# for, all doing one job over one file: count the lines each of the five
# seed patterns of the original troubleshooting guide's log analyser occurs
# in (case-insensitive), and the lines any of them occurs in.
#
#   benches/peers/run.sh [CORPUS [RUNS]]
#
# CORPUS defaults to 1M lines from the project's generator (written to
# target/bench-peers/corpus.jsonl); RUNS defaults to 5. The tools run in
# turn, round-robin, each round starting with the next tool; for each tool
# the table gives the median CPU (user + sys) and peak resident memory from
# /usr/bin/time, and the median of its CPU over tailwatch's CPU taken round
# by round. Every tool's counts must equal tailwatch's, in every round, or
# the script exits 1.
#
# Needs: a Rust toolchain, GNU time (/usr/bin/time), python3, ripgrep and
# mtail (Debian: apt-get install time ripgrep mtail). Vector and Fluent Bit
# run when `vector` / `fluent-bit` are on PATH (configs: vector.toml,
# fluent-bit.conf beside this script).
#
# What is counted, and how the tools are made to count the same thing:
# - tailwatch (seed.yaml): one rule per pattern, each in a category of its
#   own, tried on the field `line` (the line as written, not the decoded
#   message), so a rule counts the records its pattern occurs in and a line
#   matching two patterns counts in both (within one category it would
#   count once). The report's totals.matches is the sum of the rules'
#   counts, not the lines matching any pattern; that number is taken once,
#   untimed, from --matches-out (distinct offsets). tailwatch counts
#   records: a line of JSON is always one record, but plain-text lines that
#   continue a record (stack frames, tracebacks) are grouped with it, so on
#   a text log its counts can be lower than a line counter's; the script
#   says so when the corpus has text lines. Records whose target is
#   tailwatch's own (its own log, read back on a node) are never
#   matched.
# - mtail (seed.mtail): one counter per pattern, each pattern tried on
#   every line, and a sixth counter with the alternation of all five.
# - ripgrep: `rg -c -i` once per pattern and once with the alternation
#   (six passes over the file; the "alternation only" row is the last pass
#   alone). --no-mmap, so that its resident memory is its own and not the
#   mapped file's pages.
# - wc -l: the floor, reading the file and counting newlines.

set -euo pipefail

usage="usage: benches/peers/run.sh [CORPUS [RUNS]]"
if [ $# -gt 2 ]; then echo "$usage" >&2; exit 2; fi
CORPUS_ARG=${1:-}
if [ -n "$CORPUS_ARG" ]; then
    [ -r "$CORPUS_ARG" ] || { echo "run.sh: cannot read $CORPUS_ARG" >&2; exit 2; }
    CORPUS_ARG=$(realpath "$CORPUS_ARG")   # before the cd below
fi
RUNS=${2:-5}
case $RUNS in ''|*[!0-9]*|0) echo "$usage (RUNS: a positive number)" >&2; exit 2 ;; esac

cd "$(dirname "$0")/../.."
HERE=benches/peers
OUT=target/bench-peers
TW=target/release/tailwatch

missing=
for t in /usr/bin/time python3 rg mtail; do
    command -v "$t" >/dev/null || missing="$missing $t"
done
if [ -n "$missing" ]; then
    echo "run.sh: missing:$missing (Debian: apt-get install time python3 ripgrep mtail)" >&2
    exit 2
fi

# The five patterns, in the order of the table; each config file holds them
# verbatim (checked below, so the files cannot drift apart).
NAMES=(pool_exhaustion timeout concurrency memory projection)
PATTERNS=(
    'connection.*pool.*exhausted|too many connections'
    'command.*timeout|execution.*timeout'
    'concurrency.*conflict|version.*conflict'
    'out of memory|memory.*limit|allocation.*failed'
    'projection.*lag|projection.*behind'
)
ANY=$(IFS='|'; echo "${PATTERNS[*]}")
for f in seed.yaml seed.mtail vector.toml fluent-bit.conf; do
    for p in "${PATTERNS[@]}"; do
        grep -qF -- "$p" "$HERE/$f" || { echo "run.sh: $HERE/$f lacks the pattern $p" >&2; exit 2; }
    done
done

mkdir -p "$OUT"
rm -f "$OUT"/r*.* "$OUT"/check.*

cargo build --release --quiet
if [ -n "$CORPUS_ARG" ]; then
    CORPUS=$CORPUS_ARG
else
    CORPUS=$(realpath "$OUT")/corpus.jsonl
    cargo build --release --quiet --example gen_corpus
    ./target/release/examples/gen_corpus 1000000 > "$CORPUS"
fi

"$TW" check --no-default-rules "$HERE/seed.yaml" > "$OUT/check.out" 2>&1 \
    || { cat "$OUT/check.out" >&2; exit 2; }
"$TW" test --no-default-rules "$HERE/seed.yaml" > "$OUT/check.out" 2>&1 \
    || { cat "$OUT/check.out" >&2; exit 2; }

TOOLS=(tailwatch mtail ripgrep wc)
for t in vector fluent-bit; do
    if command -v "$t" >/dev/null; then TOOLS+=("$t"); else echo "skipped $t: not installed"; fi
done

# timed NAME ROUND [< FILE] COMMAND...: runs COMMAND under /usr/bin/time,
# its stdout to $OUT/rROUND.NAME.out, stderr to .err, "user sys maxrss_kb"
# to .time. A non-zero exit is fatal, except ripgrep's 1 (no line matched).
timed() {
    local name=$1 round=$2 input=/dev/null
    shift 2
    if [ "$1" = "<" ]; then input=$2; shift 2; fi
    local base="$OUT/r$round.$name" rc=0
    /usr/bin/time -f '%U %S %M' -o "$base.time" "$@" < "$input" > "$base.out" 2> "$base.err" || rc=$?
    if [ $rc -ne 0 ] && ! { [ "$1" = rg ] && [ $rc -eq 1 ]; }; then
        echo "run.sh: $name failed (exit $rc): $*" >&2
        tail -n 20 "$base.err" >&2
        exit 2
    fi
}

run_tool() {
    local tool=$1 r=$2 i
    case $tool in
        tailwatch)
            timed tailwatch "$r" "$TW" scan --format json --no-default-rules \
                --patterns "$HERE/seed.yaml" "$CORPUS" ;;
        mtail)
            timed mtail "$r" mtail --one_shot --one_shot_format=json \
                --progs "$HERE/seed.mtail" --logs "$CORPUS" \
                --logtostderr --address 127.0.0.1 --port 0 ;;
        ripgrep)
            for i in "${!PATTERNS[@]}"; do
                timed "rg$i" "$r" rg --no-mmap -c -i -- "${PATTERNS[$i]}" "$CORPUS"
            done
            timed rgany "$r" rg --no-mmap -c -i -- "$ANY" "$CORPUS" ;;
        wc)
            timed wc "$r" wc -l "$CORPUS" ;;
        vector)
            timed vector "$r" "<" "$CORPUS" vector --quiet --config "$HERE/vector.toml" ;;
        fluent-bit)
            timed fluent-bit "$r" env PEERS_CORPUS="$CORPUS" fluent-bit --quiet \
                --config "$HERE/fluent-bit.conf" ;;
    esac
}

# Into the page cache, and tailwatch's count of lines matching any pattern
# (untimed: writing every match is not part of the job).
cat "$CORPUS" > /dev/null
"$TW" scan --format json --no-default-rules --patterns "$HERE/seed.yaml" \
    --matches-out "$OUT/check.matches" "$CORPUS" > "$OUT/check.report"

echo "corpus: $CORPUS ($(wc -l < "$CORPUS") lines), runs: $RUNS, tools in turn: ${TOOLS[*]}"
n=${#TOOLS[@]}
for ((r = 1; r <= RUNS; r++)); do
    for ((k = 0; k < n; k++)); do
        run_tool "${TOOLS[$(((r - 1 + k) % n))]}" "$r"
    done
    echo "run $r of $RUNS done"
done

python3 - "$OUT" "$RUNS" "${TOOLS[*]}" "${NAMES[*]}" <<'EOF'
import json, statistics, sys

out, runs, tools, names = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
RULES = ["seed_" + n for n in names]          # as in seed.yaml, seed.mtail and the configs


def read(path):
    with open(path) as f:
        return f.read()


def cpu_rss(name, r):
    u, s, m = read(f"{out}/r{r}.{name}.time").split()[-3:]
    return float(u) + float(s), int(m)


def rg_count(name, r):
    text = read(f"{out}/r{r}.{name}.out").strip()
    return int(text) if text else 0           # rg -c prints nothing when no line matched


def json_lines(path):
    for line in read(path).splitlines():
        line = line.strip()
        if line.startswith("{"):
            yield json.loads(line)


# Per tool and round: (counts per pattern, lines matching any, lines read), None where the
# tool does not say; and (CPU seconds, peak RSS KiB).
def measure(tool, r):
    if tool == "tailwatch":
        rep = json.loads(read(f"{out}/r{r}.tailwatch.out"))
        by = {x["name"]: x["count"] for x in rep["rules"]}
        counts = [by.get(n, 0) for n in RULES]
        return (counts, ANY_TW, rep["totals"]["lines"]), cpu_rss("tailwatch", r)
    if tool == "mtail":
        rep = json.loads(read(f"{out}/r{r}.mtail.out"))
        def val(n):
            return sum(int(lv["Value"]["Value"]) for m in rep.get(n, []) for lv in m["LabelValues"])
        return ([val(n) for n in RULES], val("seed_any"), None), cpu_rss("mtail", r)
    if tool == "ripgrep":
        parts = [f"rg{i}" for i in range(len(RULES))] + ["rgany"]
        t = [cpu_rss(p, r) for p in parts]
        counts = [rg_count(p, r) for p in parts]
        return (counts[:-1], counts[-1], None), (sum(c for c, _ in t), max(m for _, m in t))
    if tool == "ripgrep-any":
        return (None, rg_count("rgany", r), None), cpu_rss("rgany", r)
    if tool == "wc":
        return (None, None, int(read(f"{out}/r{r}.wc.out").split()[0])), cpu_rss("wc", r)
    if tool == "vector":
        tot = {}
        for o in json_lines(f"{out}/r{r}.vector.out"):
            for k, v in o.items():
                if isinstance(v, (int, float)):
                    tot[k] = tot.get(k, 0) + int(v)
        return ([tot.get(n, 0) for n in RULES], tot.get("seed_any", 0), tot.get("lines", 0)), cpu_rss("vector", r)
    if tool == "fluent-bit":
        tot = {}
        for o in json_lines(f"{out}/r{r}.fluent-bit.out"):
            for k in o:
                tot[k] = tot.get(k, 0) + 1
        return ([tot.get(n, 0) for n in RULES], tot.get("seed_any", 0), None), cpu_rss("fluent-bit", r)
    raise SystemExit(f"unknown tool {tool}")


# tailwatch's lines matching any pattern: distinct line offsets in its match output.
ANY_TW = len({(m["source"], m["offset"]) for m in json_lines(f"{out}/check.matches")})
check = json.loads(read(f"{out}/check.report"))["totals"]

rows = [t for t in tools if t != "ripgrep"]
if "ripgrep" in tools:
    i = rows.index("wc") if "wc" in rows else len(rows)
    rows[i:i] = ["ripgrep", "ripgrep-any"]
label = {"ripgrep": "ripgrep, 6 passes", "ripgrep-any": "ripgrep, alternation only", "wc": "wc -l"}

data = {t: [measure(t, r) for r in range(1, runs + 1)] for t in rows}
ref_counts, ref_any, ref_lines = data["tailwatch"][0][0]

bad = []
for t in rows:
    for r, ((counts, any_, lines), _) in enumerate(data[t], 1):
        tw_counts = data["tailwatch"][r - 1][0][0]
        if counts is not None and counts != tw_counts:
            bad.append(f"{t} run {r}: per-pattern counts {counts}, tailwatch {tw_counts}")
        if any_ is not None and any_ != ref_any:
            bad.append(f"{t} run {r}: lines matching any pattern {any_}, tailwatch {ref_any}")
        if lines is not None and lines != ref_lines:
            bad.append(f"{t} run {r}: lines read {lines}, tailwatch {ref_lines}")
    if t == "tailwatch" and any(c[0][0] != ref_counts for c in data[t]):
        bad.append("tailwatch's own counts differ between runs")

tw_cpu = [c for _, (c, _) in data["tailwatch"]]
head = ["tool"] + names + ["any", "lines", "CPU s", "RSS MiB", "x tailwatch"]
table = [head]
for t in rows:
    (counts, any_, lines), _ = data[t][0]
    cpu = [c for _, (c, _) in data[t]]
    rss = [m for _, (_, m) in data[t]]
    ratio = statistics.median(c / max(w, 1e-3) for c, w in zip(cpu, tw_cpu))
    cells = [str(x) for x in counts] if counts is not None else ["-"] * len(names)
    table.append([label.get(t, t)] + cells + [
        "-" if any_ is None else str(any_),
        "-" if lines is None else str(lines),
        f"{statistics.median(cpu):.3f}",
        f"{statistics.median(rss) / 1024:.1f}",
        f"{ratio:.2f}",
    ])
width = [max(len(row[i]) for row in table) for i in range(len(head))]
print()
print(f"medians over {runs} run(s); CPU = user + sys; 'x tailwatch' = median of the per-run CPU ratios")
for row in table:
    print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, width))))

if check["lines_by_format"].get("text", 0):
    print(f"\nnote: {check['lines_by_format']['text']} plain-text lines: tailwatch counts records, "
          "and groups continuation lines (stack frames, tracebacks) into one record")
if any(check["decode_errors"].get(k, 0) for k in ("oversized", "unfinished")):
    print(f"\nnote: tailwatch cut or left unfinished some lines: {check['decode_errors']}")

if bad:
    print("\nCOUNTS DIFFER from tailwatch's:", file=sys.stderr)
    for b in bad:
        print("  " + b, file=sys.stderr)
    sys.exit(1)
print("\ncounts agree: every tool counted what tailwatch counted, in every run")
EOF
