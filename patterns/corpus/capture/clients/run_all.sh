#!/bin/bash
# Re-runs every client capture against our own PostgreSQL (55433) and Redis (56380),
# rebuilding /tmp/tailwatch-capture/corpus/captured-clients.jsonl after each script.
set -u
D=/tmp/tailwatch-capture/clients
cd $D
[ -x venv/bin/python ] || { python3.11 -m venv venv && venv/bin/pip install -q 'sqlalchemy[asyncio]' 'psycopg[binary]' psycopg_pool asyncpg requests httpx python-json-logger structlog; }
[ -d node_modules/pg ] || npm install --no-audit --no-fund pg pg-pool knex sequelize typeorm reflect-metadata ioredis axios pino
./servers.sh start
trap './servers.sh stop' EXIT
date +%T; for s in py_sqlalchemy.py py_psycopg.py py_asyncpg_http.py py_crash.py py_connect.py; do timeout 300 venv/bin/python $s; date +%T; venv/bin/python build_corpus.py; done
for s in node_pg.js node_orm.js node_redis_http.js node_crash.js; do timeout 300 node $s; date +%T; venv/bin/python build_corpus.py; done
(cd java && javac -cp /usr/share/java/HikariCP.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/postgresql.jar -d . Capture.java)
timeout 600 venv/bin/python java_capture.py; venv/bin/python build_corpus.py
