#!/bin/sh
# Re-run the captures (outputs overwrite the *.out files). Binaries are removed afterwards.
cd "$(dirname "$0")"
for f in py_uncaught py_chained py_thread py_asyncio; do python3 $f.py > $f.out 2>&1; done
python3 -X faulthandler py_segv.py > py_segv.out 2>&1
python3 py_retry.py > py_retry.out 2>&1
for f in node_uncaught node_rejection node_rejection_err node_typeerror; do node $f.js > $f.out 2>&1; done
(cd java && java Npe.java > npe.out 2>&1; java Worker.java > worker.out 2>&1;
 java -XX:ErrorFile=/tmp/hs_err_pid%p.log Crash.java > crash.out 2>&1;
 JAVA_TOOL_OPTIONS="-XX:ErrorFile=/var/log/ledger/hs_err_pid%p.log -XX:+ExitOnOutOfMemoryError" java -version > tooloptions.out 2>&1)
(cd rust && for f in unwrap named overflow index doublepanic; do rustc -C opt-level=0 $f.rs -o $f; done
 ./unwrap > unwrap.out 2>&1; env -u RUST_BACKTRACE ./unwrap > unwrap_nobt.out 2>&1; ./named > named.out 2>&1
 ./overflow > overflow.out 2>&1; RUST_BACKTRACE=1 ./index > index.out 2>&1; ./doublepanic > doublepanic.out 2>&1
 rm -f unwrap named overflow index doublepanic)
(cd go && export GOPROXY=off GOCACHE=$(pwd)/.cache && for f in nilderef mapwrites deadlock custompanic index httppanic; do
   go build -o $f $f.go && ./$f > $f.out 2>&1; rm -f $f; done; rm -rf .cache)
(cd kernel && gcc -O0 nullread.c -o projector-worker && ./projector-worker; gcc -O0 divzero.c -o ledger-sync && ./ledger-sync;
 rm -f projector-worker ledger-sync; sleep 1; dmesg | grep segfault | tail -1 > dmesg_segfault.txt; dmesg | grep 'traps:' | tail -1 > dmesg_traps.txt)
./pg/capture.sh
