#!/bin/bash
cd "$(dirname $0)"
for m in plain plain_grow jsonlogger structlog structlog_plain_exc; do
  ( ulimit -v 400000; python3 py_memerror.py $m > py_$m.out 2>&1 )
done
