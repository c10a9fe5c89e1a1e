#!/bin/bash
# hs_err "insufficient memory": JVM under a 450000 KiB address-space limit fails to reserve metaspace.
cd "$(dirname $0)"
ulimit -v 450000
java -Xmx64m -XX:ReservedCodeCacheSize=32m -XX:CompressedClassSpaceSize=32m -XX:-CreateCoredumpOnCrash -XX:ErrorFile=$PWD/hs_err_%p.log Grow threads > java_hs_err.out 2>&1
# keep only the report header (the rest holds the environment)
for f in hs_err_[0-9]*.log; do [ -f "$f" ] && head -30 "$f" > hs_err_insufficient_memory.log && rm "$f"; done
