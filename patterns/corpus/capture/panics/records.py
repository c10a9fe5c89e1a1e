#!/usr/bin/env python3
"""Print the records tailwatch groups from captured output files, one JSON object per record.
usage: records.py FILE...   (scans with a throw-away catch-all info rule)"""
import json, os, subprocess, sys, tempfile
RULE = """rules:
  - name: catch_all_records
    category: panic
    severity: info
    description: every record
    action: none
    match:
      fields: [line]
      regex: '(?i)[a-z]'
      keywords: ['e']
"""
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, "all.yaml"), "w").write(RULE)
    out = subprocess.run(["tailwatch", "scan", "--no-default-rules", "--patterns", d,
                          "--matches-out", "-", "--format", "json"] + sys.argv[1:], capture_output=True, text=True).stdout
for l in out.splitlines():
    try:
        m = json.loads(l)
    except Exception:
        continue
    if isinstance(m, dict) and "line" in m and "rule" in m:
        print(json.dumps({"source": m["source"], "line": m["line"]}))
