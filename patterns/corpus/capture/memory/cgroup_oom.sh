#!/bin/bash
# Real memcg OOM kill: run a command in a cgroup v1 memory group limited to LIMIT_MB (default 64)
# and keep the kernel's report. usage: cgroup_oom.sh OUTNAME CMD ARGS...
# (the dmesg.txt files beside this script are its output)
set -u
OUT=$1; shift
LIMIT_MB=${LIMIT_MB:-64}
CG=/sys/fs/cgroup/memory/twcapture
mkdir -p $CG
echo $((LIMIT_MB*1024*1024)) > $CG/memory.limit_in_bytes
echo $((LIMIT_MB*1024*1024)) > $CG/memory.memsw.limit_in_bytes 2>/dev/null || true
START=$(dmesg | tail -1 | sed "s#^\[ *\([0-9.]*\)\].*#\1#")
bash -c 'echo $$ > '$CG'/cgroup.procs; exec "$@"' _ "$@"
echo "exit: $?"
sleep 1
dmesg | awk -v s="$START" '{t=$0; sub(/^\[ */,"",t); sub(/\].*/,"",t); if (t+0 > s+0) print}' > "$(dirname $0)/$OUT.dmesg.txt"
cat $CG/memory.oom_control
rmdir $CG
