#!/usr/bin/env python3
"""MariaDB 10.11.19: append to an event stream with an already-used version -> 1062 on the
(stream_id, version) unique key, raised through PyMySQL 1.x and logged with stdlib logging."""
import logging, sys, pymysql
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("app.eventstore")
c = pymysql.connect(unix_socket="/tmp/tailwatch-capture/concurrency/mysqld.sock", user="root", database="test", autocommit=True)
cur = c.cursor()
cur.execute("drop table if exists events")
cur.execute("create table events(id bigint auto_increment primary key, stream_id varchar(100) not null, version int not null, type varchar(100), data json, unique key uq_events_stream_version (stream_id, version)) engine=innodb")
cur.execute("insert into events(stream_id, version, type, data) values ('cart-7', 3, 'ItemAdded', '{}')")
try:
    cur.execute("insert into events(stream_id, version, type, data) values ('cart-7', 3, 'ItemRemoved', '{}')")
except Exception:
    log.exception("append to cart-7 at version 3 failed")
