#!/bin/bash
# Kernel deprecation notice when a process writes the legacy /proc/PID/oom_adj (sets a score, nothing is killed).
cd "$(dirname $0)"
START=$(dmesg | tail -1 | sed "s#^\[ *\([0-9.]*\)\].*#\1#")
bash -c 'echo 0 > /proc/$$/oom_adj; cat /proc/$$/oom_score_adj'
sleep 0.5
dmesg | awk -v s="$START" '{t=$0; sub(/^\[ */,"",t); sub(/\].*/,"",t); if (t+0 > s+0) print}' > oom_adj.dmesg.txt
