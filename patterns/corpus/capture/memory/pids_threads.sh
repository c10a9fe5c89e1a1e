#!/bin/bash
# JVM "unable to create native thread": run Grow threads in a cgroup v1 pids group with pids.max=60.
CG=/sys/fs/cgroup/pids/twcapture
mkdir -p $CG; echo 60 > $CG/pids.max
cd "$(dirname $0)"
bash -c 'echo $$ > '$CG'/cgroup.procs; exec timeout 60 java -Xmx64m Grow threads' > java_threads.out 2>&1
echo "exit: $?"
rmdir $CG
