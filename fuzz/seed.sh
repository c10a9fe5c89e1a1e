#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/) from what the
# project ships: the labelled corpus's lines, the log fixtures, the rule
# pack, the reference config, a checkpoint of a real run. Re-runnable; the
# seeds are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{decode,scanner,rule_file,config,checkpoint,sieve}
# decode: one labelled line per file (every third), and the fixtures' lines.
python3 - "$corpus" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
n = 0
for path in sorted(glob.glob("patterns/corpus/*.jsonl") + glob.glob("tests/data/heldout/*.jsonl")):
    for i, line in enumerate(open(path, encoding="utf-8")):
        if i % 3 == 0 and line.strip():
            entry = json.loads(line)
            with open(f"{out}/decode/line-{n:04d}", "wb") as f:
                f.write(entry["line"].encode())
            n += 1
# sieve: a few literal sets with a haystack, as the target's arbitrary
# tuple reads them (literal sets from the pack's words).
words = [b"pool timed out", b"deadlock", b"timeout", b"too many clients", b"OutOfMemoryError"]
for i in range(len(words)):
    with open(f"{out}/sieve/seed-{i}", "wb") as f:
        f.write(b"".join(w + b"\x00" for w in words[: i + 1]) + b"2026 ERROR: deadlock detected\npool timed out\n")
PY
# scanner: the log fixtures, each a block of lines.
for f in tests/data/*.log tests/data/*.jsonlog tests/data/multiline/* patterns/corpus/capture/servers/nginx_backlog/error.log; do
  [ -f "$f" ] && head -c 65536 "$f" > "$corpus/scanner/$(echo "$f" | tr '/' '_')"
done
# rule_file: the pack's files.
for f in patterns/*.yaml; do cp "$f" "$corpus/rule_file/$(basename "$f")"; done
# config: the reference config and the Kubernetes example's.
cp config/tailwatch.yaml "$corpus/config/tailwatch.yaml"
# checkpoint: one written by a real run over the sample log.
work=$(mktemp -d)
mkdir -p "$work/logs"
cp tests/data/sample.log "$work/logs/app.log"
cargo build -q --release
# SIGTERM after a few seconds: the agent writes its last checkpoint.
timeout 6 target/release/tailwatch run --path "$work/logs/*.log" --checkpoint-dir "$work/cp" \
  --listen 127.0.0.1:0 --start-at beginning --poll-interval-ms 100 2>/dev/null || true
cp "$work/cp/tailwatch.checkpoint.json" "$corpus/checkpoint/sample.json"
rm -rf "$work"
for t in "$corpus"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
