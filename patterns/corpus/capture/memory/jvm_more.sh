#!/bin/bash
# More JVM output: heap dump on OOM, ExitOnOutOfMemoryError, a healthy run's GC/heap log lines and flags.
cd "$(dirname $0)"
D=$(mktemp -d)
java -Xmx16m -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$D Grow heap > java_heapdump.out 2>&1
java -Xmx16m -XX:+ExitOnOutOfMemoryError Grow heap > java_exit_on_oom.out 2>&1
java -Xmx16m -XX:+CrashOnOutOfMemoryError -XX:-CreateCoredumpOnCrash -XX:ErrorFile=$D/hs_%p.log Grow heap 2>&1 | head -12 > java_crash_on_oom.out
java -Xmx2g -Xms256m -XX:+PrintCommandLineFlags -Xlog:gc*=info:stdout -version > java_healthy_gc.out 2>&1
java -Xmx2g -Xlog:gc:stdout Healthy > java_healthy_pauses.out 2>&1
rm -rf $D
JAVA_TOOL_OPTIONS="-Xmx2g -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/dumps" java -version > java_tool_options.out 2>&1
