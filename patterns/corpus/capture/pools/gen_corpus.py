#!/usr/bin/env python3
"""Writes /tmp/tailwatch-capture/corpus/pools.jsonl (pool_exhaustion, pool_pressure and hard benign lines).
Captured lines are read from the capture outputs in /tmp/tailwatch-capture/pools; the rest are the
messages read in the cited sources, placed in the record formats their ecosystems log in."""
import json
C = "/tmp/tailwatch-capture/pools"
def grab(path, needle, nth=0):
    hits = [l.rstrip("\n") for l in open(f"{C}/{path}") if needle in l]
    return hits[nth]
E = []
def add(cat, line, src, accept=None):
    e = {"category": cat, "line": line, "source": src}
    if accept: e["accept"] = accept
    E.append(e)
J = lambda o: json.dumps(o, separators=(",", ":"))

PG = "captured: PostgreSQL 15.20, /tmp/tailwatch-capture/pools/pg_limits.sh"
PGB = "captured: PgBouncer 1.18.0, /tmp/tailwatch-capture/pools/pgbouncer_limits.sh"
MARIA = "captured: MariaDB 10.11.19 (mariadb client), /tmp/tailwatch-capture/pools/mariadb_limits.sh"
MARIALOG = "captured: MariaDB 10.11.19 error log, /tmp/tailwatch-capture/pools/mariadb_limits.sh"
REDIS = "captured: Redis 7.0.15 (redis-cli), /tmp/tailwatch-capture/pools/redis_maxclients.sh"
PG16 = "postgres/postgres@0ebd24255581837f9a5b189ef15147b769df116b src/test/postmaster/t/002_connection_limits.pl"
HK6 = "brettwooldridge/HikariCP@604d7d5838e96afbbdd4e19eedab7497cf368eb6 src/main/java/com/zaxxer/hikari/pool/HikariPool.java"
HK5 = "brettwooldridge/HikariCP@98bd21c8fe506cfb6f329002669b2129bdb847db src/main/java/com/zaxxer/hikari/pool/HikariPool.java"
HK4 = "brettwooldridge/HikariCP@da838d36fa85fabcdd671a1fa4d9e22392e9e9a3 src/main/java/com/zaxxer/hikari/pool/HikariPool.java"
HKDS = "brettwooldridge/HikariCP@604d7d5838e96afbbdd4e19eedab7497cf368eb6 src/main/java/com/zaxxer/hikari/HikariDataSource.java"
HKLEAK = "brettwooldridge/HikariCP@604d7d5838e96afbbdd4e19eedab7497cf368eb6 src/main/java/com/zaxxer/hikari/pool/ProxyLeakTask.java"
SQLXERR = "launchbadge/sqlx@9d6bf6629f172d32fe1e6cafe8071439d213fc75 sqlx-core/src/error.rs"
SQLXACQ = "launchbadge/sqlx@9d6bf6629f172d32fe1e6cafe8071439d213fc75 sqlx-core/src/pool/inner.rs"
DP = "bikeshedder/deadpool@375ffee038929c26a61a8c3bd9d23068a866fa4d src/managed/errors.rs"
BB8 = "djc/bb8@15a6c5a01d3d21cf51165ff850afe89bc34382b3 bb8/src/api.rs"
R2D2 = "sfackler/r2d2@c1b0d9f976e12e97f92554063a7c6bd295eee471 src/lib.rs"
TPG = "sfackler/rust-postgres@e1cd6beef3a1530642a2abaf3584d6bd8ed6cd45 tokio-postgres/src/error/mod.rs"
PGX = "jackc/pgx@728cefa8008f2b06aeca071cd3239862aa80f9af pgconn/errors.go + pgconn/pgconn.go"
PGX55 = "jackc/pgx@96f5f9cd952eccb28ce575089953c8ba7d99d77b pgconn/errors.go (v5.5.0)"
GORM = "go-gorm/gorm@1d6ce99528060be18a42be09aca8d39efcb47f28 gorm.go"
GOMY = "go-sql-driver/mysql@416cd99d463949ca51faf4f84d674de2fc1aa54b errors.go"
CONNJ = "mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf src/main/protocol-impl/java/com/mysql/cj/protocol/a/NativeProtocol.java + src/main/resources/com/mysql/cj/LocalizedErrorMessages.properties"
REDISSRC = "redis/redis@4f8cdc2a1ea53e42955af758aabffee67cb455dd src/networking.c"
REDISSRV = "redis/redis@4f8cdc2a1ea53e42955af758aabffee67cb455dd src/server.c"
GOREDIS = "redis/go-redis@216593cc01faa029006266a5f1fc3d5004312ecf internal/pool/pool.go"
JEDIS3 = "redis/jedis@153841e067f96091ecfdd6fa6f080163be3015c1 src/main/java/redis/clients/jedis/util/Pool.java (v3.10.0) + apache/commons-pool GenericObjectPool"
JEDIS = "redis/jedis@9bcb5c602b0a21b9106501d8b6c0b148c27d73dc src/main/java/redis/clients/jedis/util/Pool.java + apache/commons-pool@e5c44f5184a55a58fef4a1efec8124d162a348bd src/main/java/org/apache/commons/pool2/impl/GenericObjectPool.java"
CPOOL = "apache/commons-pool@e5c44f5184a55a58fef4a1efec8124d162a348bd src/main/java/org/apache/commons/pool2/impl/GenericObjectPool.java"
TOMCAT = "apache/tomcat@01bcf10431f81a111735495b2303f568657e075b modules/jdbc-pool/src/main/java/org/apache/tomcat/jdbc/pool/ConnectionPool.java"
DBCP = "apache/commons-dbcp@092f620af0fb01b9a533db0879d8557cd8bbb041 src/main/java/org/apache/commons/dbcp2/PoolingDataSource.java + " + CPOOL.split(" ")[0] + " GenericObjectPool.java"
HIB = "hibernate/hibernate-orm@3be4c218478e11cb0159b58d9166eae18b4f91e1 hibernate-core/src/main/java/org/hibernate/resource/jdbc/internal/LogicalConnectionManagedImpl.java"
HIBLOG = "hibernate/hibernate-orm@986b66eb18b768e523a4de83834159d10ffd80b8 hibernate-core/src/main/java/org/hibernate/engine/jdbc/spi/SqlExceptionHelper.java"
SPRJPA = "spring-projects/spring-framework@40ead013fa9b33e5264338975142c0a0491b729e spring-orm/src/main/java/org/springframework/orm/jpa/JpaTransactionManager.java"
SPRJDBC = "spring-projects/spring-framework@013a236ae82687d0d7cc391ce4ef28c672a70d38 spring-jdbc/src/main/java/org/springframework/jdbc/datasource/DataSourceUtils.java"
NPG = "npgsql/npgsql@3cb5804b769b000a1fc88ad8e5e764667f0df4a1 src/Npgsql/PoolingDataSource.cs"
NPGLOG = "npgsql/npgsql@3cb5804b769b000a1fc88ad8e5e764667f0df4a1 src/Npgsql/LogMessages.cs"
SQLCL = "dotnet/SqlClient@c16adb7a11674b66f9e9ca5e5a38e768ce8d5ff3 src/Microsoft.Data.SqlClient/src/Resources/Strings.resx"
EF = "dotnet/efcore@d5ed57c5949c7434f29530a440fc2a59961a740d src/EFCore.Relational/Properties/RelationalStrings.resx (LogConnectionError, event 20004)"
SAIMPL = "sqlalchemy/sqlalchemy@f35da7e2b9349a08b8de1f6bd3b07c8bf8616790 lib/sqlalchemy/pool/impl.py"
SABASE = "sqlalchemy/sqlalchemy@f35da7e2b9349a08b8de1f6bd3b07c8bf8616790 lib/sqlalchemy/pool/base.py"
PSYP = "psycopg/psycopg@c079c37c959a89a8684a3d3858cbaff7e5543e71 psycopg_pool/psycopg_pool/pool.py"
APG = "MagicStack/asyncpg@db8ecc2a38e16fb0c090aef6f5506547c2831c24 asyncpg/exceptions/__init__.py"
PGPOOL = "brianc/node-postgres@c9e57617bc92c2ded23a75345f50eadc527bd131 packages/pg-pool/index.js"
KNEX = "knex/knex@e25d54bcb707714a17f5a5744eba5c4246bb4d1d lib/client.js"
PRISMA = "prisma/prisma-engines@066eebeebbe9d8704466a094f1994403117cb101 libs/user-facing-errors/src/query_engine/mod.rs"
PRISMAPOOL = "prisma/prisma-engines@29c424a601638eb3f7c6e163ab70881c72af54b9 quaint/src/pooled.rs"
PRISMAWARN = "prisma/prisma@1a3ea8bec027bec92b91f5c19f0b30fc729271cc packages/client/src/runtime/core/engines/library/LibraryEngine.ts"
SEQ = "sequelize/sequelize@5b7c8015c907b0dfd878ca4a9f28343a3392c307 src/errors/connection/connection-acquire-timeout-error.ts (v6.37.7) + sequelize/sequelize-pool@v8.0.1 lib/Deferred.js (npm tarball)"
MYSQL2 = "sidorares/node-mysql2@v3.24.6 lib/base/pool.js (npm tarball)"
MONGO = "mongodb/node-mongodb-native@bb35ded18aa1031d8e4be88cad4fc1cc1225b00e src/cmap/connection_pool.ts"
MONGOMET = "mongodb/node-mongodb-native@bb35ded18aa1031d8e4be88cad4fc1cc1225b00e src/cmap/metrics.ts"
MONGOLOG = "mongodb/node-mongodb-native@bb35ded18aa1031d8e4be88cad4fc1cc1225b00e src/mongo_logger.ts"
MONGOD = "mongodb/mongo@6b0141d1559164e212f66d9b62909b9d61df01c8 src/mongo/transport/service_entry_point_impl.cpp"
PGBSRC = "pgbouncer/pgbouncer@13a344f2625381296fc02e29b986a11be9c6b983 src/stats.c"
EVC = "jwilger/eventcore@68c38b469b3b8b300cf4ca6400cb9abe8187bce9 docs/manual/07-operations/04-troubleshooting.md"
EVCT = "jwilger/eventcore@68c38b469b3b8b300cf4ca6400cb9abe8187bce9 docs/development-archive/implementation/CONNECTION_TUNING.md"

# ---------------------------------------------------------------- pool_exhaustion
X = "pool_exhaustion"
# PostgreSQL server refusals (captured)
add(X, grab("server.log", "sorry, too many clients already"), PG)
add(X, grab("server.log", 'too many connections for database "orders"'), PG)
add(X, grab("server.json", 'too many connections for role'), PG)
add(X, grab("server.json", 'non-replication superuser'), PG)
add(X, grab("pg-client.out", "sorry, too many clients already"), PG + " (psql/libpq)")
add(X, '2026-11-22 09:14:07.311 UTC [88121] FATAL:  remaining connection slots are reserved for roles with privileges of the "pg_use_reserved_connections" role', PG16)
add(X, J({"timestamp":"2026-11-22 09:14:09.020 UTC","user":"svc_orders","dbname":"orders","pid":88140,"remote_host":"10.0.7.21","remote_port":41882,"session_id":"6b0f61b9.15854","line_num":1,"ps":"startup","session_start":"2026-11-22 09:14:09 UTC","vxid":"41/1","txid":0,"error_severity":"FATAL","state_code":"53300","message":"remaining connection slots are reserved for roles with the SUPERUSER attribute","backend_type":"client backend","query_id":0}), PG16 + "; jsonlog layout as captured from PostgreSQL 15.20")
# PostgreSQL refusals as clients report them
add(X, J({"level":"error","ts":1795338245.118,"caller":"store/pg.go:61","msg":"open pool","error":"failed to connect to `user=orders database=orders`: 10.0.7.5:5432 (pg-primary.internal): server error: FATAL: sorry, too many clients already (SQLSTATE 53300)"}), PGX)
add(X, '\x1b[31m[error] \x1b[0mfailed to initialize database, got error failed to connect to `host=pg-primary user=orders database=orders`: server error (FATAL: sorry, too many clients already (SQLSTATE 53300))'.replace('\x1b[31m','').replace('\x1b[0m',''), GORM + " + " + PGX55)
add(X, J({"timestamp":"2026-11-22T09:15:01.338912Z","level":"ERROR","fields":{"message":"append failed","error":"Error occurred while creating a new object: db error: FATAL: too many connections for role \"ledger\""},"target":"ledger::store"}), DP + " + " + TPG)
add(X, J({"timestamp":"2026-11-22T09:15:02.004113Z","level":"ERROR","fields":{"message":"db error: FATAL: too many connections for role \"ledger\""},"target":"ledger::db"}), TPG)
add(X, '2026-11-22T09:15:03.771Z ERROR 1 --- [nio-8080-exec-9] o.h.engine.jdbc.spi.SqlExceptionHelper   : FATAL: remaining connection slots are reserved for non-replication superuser connections', HIBLOG + " (server text as captured from PostgreSQL 15.20)")
add(X, "Traceback (most recent call last):\n  File \"/srv/app/.venv/lib/python3.12/site-packages/asyncpg/connect_utils.py\", line 1054, in _connect_addr\n    return await __connect_addr(params, True, *args)\nasyncpg.exceptions.TooManyConnectionsError: remaining connection slots are reserved for roles with the SUPERUSER attribute", APG + " + " + PG16)
add(X, J({"timestamp":"2026-11-22T09:15:05.120Z","level":"ERROR","logger":"django.request","message":"Internal Server Error: /api/orders/","exc_info":"Traceback (most recent call last):\n  File \"/srv/app/.venv/lib/python3.12/site-packages/django/db/backends/base/base.py\", line 279, in ensure_connection\n    self.connect()\ndjango.db.utils.OperationalError: connection to server at \"10.0.7.5\", port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections\n"}), PG + " (libpq text) + django/django django/db/utils.py OperationalError wrapper")
add(X, J({"timestamp":"2026-11-22T09:15:06.900Z","level":"ERROR","fields":{"message":"pool error","error":"timed out waiting for connection: connection to server at \"10.0.7.5\", port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections\n"},"target":"api::db"}), R2D2 + " + diesel-rs/diesel@04cc1b0bc6578021db542464e6cd1a21e0d39235 diesel/src/r2d2.rs + libpq text captured from PostgreSQL 15.20")
add(X, J({"timestamp":"2026-11-22T09:15:07.412Z","level":"ERROR","fields":{"message":"connection to server at \"10.0.7.5\", port 5432 failed: FATAL:  too many connections for role \"api\"\n","log.target":"r2d2","log.module_path":"r2d2"},"target":"r2d2"}), R2D2 + " (LoggingErrorHandler) + libpq text captured from PostgreSQL 15.20")
# MySQL / MariaDB
add(X, grab("maria-client.out", "ERROR 1040"), MARIA)
add(X, grab("maria-client.out", "ERROR 1203"), MARIA)
add(X, grab("maria-client.out", "max_user_connections' resource"), MARIA)
add(X, J({"level":"error","ts":1795338300.551,"caller":"db/mysql.go:33","msg":"ping failed","error":"Error 1040 (08004): Too many connections"}), GOMY + " + " + MARIA)
add(X, J({"time":"2026-11-22T09:16:02.117Z","level":"ERROR","msg":"query failed","err":"Error 1203 (42000): User orders already has more than 'max_user_connections' active connections"}), GOMY + " + " + MARIA)
add(X, J({"@timestamp":"2026-11-22T09:16:04.218Z","@version":"1","message":"Application run failed","logger_name":"org.springframework.boot.SpringApplication","thread_name":"main","level":"ERROR","level_value":40000,"stack_trace":"com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection exception, SQL-server rejected establishment of SQL-connection,  message from server: \"Too many connections\"\n\tat com.zaxxer.hikari.pool.HikariPool.throwPoolInitializationException(HikariPool.java:596)\nCaused by: java.sql.SQLNonTransientConnectionException: Connection exception, SQL-server rejected establishment of SQL-connection,  message from server: \"Too many connections\"\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)\n"}), CONNJ + " + " + HK5 + " (PoolInitializationException)")
# Redis
add(X, open(f"{C}/redis-client.out").readline().rstrip("\n"), REDIS)
add(X, J({"level":"error","ts":1795338400.009,"caller":"cache/redis.go:88","msg":"cache get","error":"ERR max number of clients reached"}), REDISSRC)
add(X, J({"level":50,"time":1795338401123,"pid":1,"hostname":"web-5c9d","msg":"redis command failed","err":{"type":"ReplyError","message":"ERR max number of clients + cluster connections reached"}}), REDISSRC)
add(X, J({"level":"error","ts":1795338402.44,"caller":"session/store.go:51","msg":"load session","error":"redis: connection pool timeout"}), GOREDIS)
add(X, J({"time":"2026-11-22T09:16:44.018Z","level":"ERROR","msg":"rate limiter","err":"redis: connection pool exhausted"}), GOREDIS)
add(X, "Exception in thread \"worker-3\" redis.clients.jedis.exceptions.JedisExhaustedPoolException: Could not get a resource since the pool is exhausted\n\tat redis.clients.jedis.util.Pool.getResource(Pool.java:53)\n\tat redis.clients.jedis.JedisPool.getResource(JedisPool.java:234)\nCaused by: java.util.NoSuchElementException: Pool exhausted\n\tat org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:452)\n\t... 2 more", JEDIS3)
add(X, J({"@timestamp":"2026-11-22T09:16:47.390Z","@version":"1","message":"cache lookup failed","logger_name":"com.acme.cart.CartCache","thread_name":"http-nio-8080-exec-21","level":"ERROR","level_value":40000,"stack_trace":"redis.clients.jedis.exceptions.JedisException: Could not get a resource from the pool\n\tat redis.clients.jedis.util.Pool.getResource(Pool.java:42)\n\tat redis.clients.jedis.JedisPool.getResource(JedisPool.java:378)\nCaused by: java.util.NoSuchElementException: Timeout waiting for idle object, borrowMaxWaitDuration=PT2S\n\tat org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:317)\n\t... 2 common frames omitted\n"}), JEDIS)
# MongoDB
add(X, J({"t":{"$date":"2026-11-22T09:17:01.208+00:00"},"s":"I","c":"NETWORK","id":22942,"ctx":"listener","msg":"Connection refused because there are too many open connections","attr":{"remote":"10.0.9.14:50412","connectionCount":819}}), MONGOD)
add(X, J({"level":50,"time":1795338421776,"pid":1,"hostname":"catalog-6b7f","msg":"find products failed","err":{"type":"MongoWaitQueueTimeoutError","message":"Timed out while checking out a connection from connection pool","stack":"MongoWaitQueueTimeoutError: Timed out while checking out a connection from connection pool\n    at ConnectionPool.checkOut (/app/node_modules/mongodb/lib/cmap/connection_pool.js:259:23)","address":"mongo-0.mongo:27017"}}), MONGO)
add(X, J({"level":50,"time":1795338422001,"msg":"aggregate failed","err":{"type":"MongoWaitQueueTimeoutError","message":"Timed out while checking out a connection from connection pool: maxPoolSize: 100, connections in use by cursors: 12, connections in use by transactions: 0, connections in use by other operations: 88"}}), MONGOMET)
add(X, "{ t: 2026-11-22T09:17:03.532Z, c: 'connection', s: 'debug', serverHost: 'mongo-0.mongo', serverPort: 27017, message: 'Connection checkout failed', reason: 'Wait queue timeout elapsed without a connection becoming available' }", MONGOLOG + " (createStdioLogger: util.inspect layout)")
# PgBouncer (captured)
add(X, grab("pgbouncer.log", "pooler error: no more connections allowed"), PGB)
add(X, grab("pgbouncer.log", "closing because: no more connections allowed"), PGB)
add(X, grab("pgb-client.out", "no more connections allowed"), PGB + " (psql)")
add(X, grab("pgbouncer.log", "closing because: query_wait_timeout"), PGB)
add(X, grab("pgbouncer.log", "pooler error: query_wait_timeout"), PGB)
add(X, grab("pgb-client.out", "FATAL:  query_wait_timeout"), PGB + " (psql)")
# Rust client pools
add(X, J({"timestamp":"2026-11-22T09:18:00.517203Z","level":"ERROR","fields":{"message":"append failed","error":"pool timed out while waiting for an open connection"},"target":"eventcore_postgres"}), SQLXERR)
add(X, "2026-11-22T09:18:01.009117Z ERROR request{method=POST uri=/orders version=HTTP/1.1}: api::routes: handler failed error=pool timed out while waiting for an open connection", SQLXERR + " (tracing-subscriber fmt layout)")
add(X, J({"timestamp":"2026-11-22T09:18:02.771Z","level":"ERROR","fields":{"message":"checkout failed","error":"Timeout occurred while waiting for a slot to become available"},"target":"projector::db"}), DP)
add(X, J({"timestamp":"2026-11-22T09:18:03.102Z","level":"WARN","fields":{"message":"cache unavailable: Timed out in bb8"},"target":"api::cache"}), BB8)
add(X, "[2026-11-22T09:18:04Z ERROR api::handlers] timed out waiting for connection", R2D2 + " (env_logger layout)")
add(X, J({"timestamp":"2026-11-22T09:18:05.000Z","level":"WARN","fields":{"message":"Connection pool exhausted!"},"target":"eventcore_postgres::health"}), EVCT)
# JVM pools
add(X, J({"@timestamp":"2026-11-22T09:19:00.117Z","@version":"1","message":"Request processing failed","logger_name":"o.a.c.c.C.[.[.[/].[dispatcherServlet]","thread_name":"http-nio-8080-exec-44","level":"ERROR","level_value":40000,"stack_trace":"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30004ms (total=10, active=10, idle=0, waiting=37)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:705)\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:182)\n"}), HK6)
add(X, "2026-11-22 09:19:01.552 ERROR 1 --- [nio-8080-exec-7] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30001ms.", HIBLOG + " + " + HK4)
add(X, "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection\n\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:467)\n\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction(AbstractPlatformTransactionManager.java:400)\nCaused by: org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection\n\tat org.hibernate.exception.internal.SQLExceptionTypeDelegate.convert(SQLExceptionTypeDelegate.java:48)\n\t... 12 more\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\t... 20 more", SPRJPA + " + " + HIB + " + " + HK4)
add(X, J({"@timestamp":"2026-11-22T09:19:03.880Z","@version":"1","message":"Failed to obtain JDBC Connection","logger_name":"com.acme.billing.InvoiceJob","thread_name":"scheduling-1","level":"ERROR","level_value":40000,"stack_trace":"org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 5002ms (total=5, active=5, idle=0, waiting=3)\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"}), SPRJDBC + " + " + HK5)
add(X, J({"@timestamp":"2026-11-22T09:19:03.879Z","@version":"1","message":"HikariPool-1 - Timeout failure stats (total=10, active=10, idle=0, waiting=22)","logger_name":"com.zaxxer.hikari.pool.HikariPool","thread_name":"http-nio-8080-exec-61","level":"DEBUG","level_value":10000}), HK5, accept=["pool_pressure"])
add(X, "2026-11-22 09:19:05,004 ERROR [http-nio-8080-exec-12] o.a.c.c.C.[.[.[.[dispatcherServlet] Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception\norg.apache.tomcat.jdbc.pool.PoolExhaustedException: [http-nio-8080-exec-12] Timeout: Pool empty. Unable to fetch a connection in 30 seconds, none available[size:100; busy:100; idle:0; lastwait:30000].\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.borrowConnection(ConnectionPool.java:728)\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.getConnection(ConnectionPool.java:198)", TOMCAT)
add(X, J({"@timestamp":"2026-11-22T09:19:06.300Z","message":"report export failed","logger_name":"com.acme.reports.Exporter","level":"ERROR","stack_trace":"org.apache.tomcat.jdbc.pool.PoolExhaustedException: [pool-3-thread-7] NoWait: Pool empty. Unable to fetch a connection, none available[20 in use].\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.borrowConnection(ConnectionPool.java:712)\n"}), TOMCAT)
add(X, J({"@timestamp":"2026-11-22T09:19:07.410Z","message":"batch step failed","logger_name":"org.springframework.batch.core.step.AbstractStep","level":"ERROR","stack_trace":"java.sql.SQLException: Cannot get a connection, pool error Timeout waiting for idle object, borrowMaxWaitDuration=PT10S\n\tat org.apache.commons.dbcp2.PoolingDataSource.getConnection(PoolingDataSource.java:142)\nCaused by: java.util.NoSuchElementException: Timeout waiting for idle object, borrowMaxWaitDuration=PT10S\n"}), DBCP)
# .NET
add(X, J({"@t":"2026-11-22T09:20:00.1180000Z","@mt":"Failed to load order {OrderId}","@l":"Error","@x":"Npgsql.NpgsqlException (0x80004005): The connection pool has been exhausted, either raise 'Max Pool Size' (currently 100) or 'Timeout' (currently 15 seconds) in your connection string.\n ---> System.TimeoutException: The operation has timed out.\n   --- End of inner exception stack trace ---\n   at Npgsql.PoolingDataSource.<Get>g__RentAsync|34_0(NpgsqlConnection conn, NpgsqlTimeout timeout, Boolean async, CancellationToken cancellationToken)","OrderId":88213,"SourceContext":"Orders.Api.OrderQueries"}), NPG)
add(X, J({"Timestamp":"2026-11-22T09:20:01.554Z","EventId":20004,"LogLevel":"Error","Category":"Microsoft.EntityFrameworkCore.Database.Connection","Message":"An error occurred using the connection to database 'orders' on server 'tcp://pg-primary:5432'.","Exception":"Npgsql.NpgsqlException (0x80004005): The connection pool has been exhausted, either raise 'Max Pool Size' (currently 20) or 'Timeout' (currently 30 seconds) in your connection string.\n ---> System.TimeoutException: The operation has timed out.","State":{"Message":"An error occurred using the connection to database 'orders' on server 'tcp://pg-primary:5432'.","database":"orders","server":"tcp://pg-primary:5432","{OriginalFormat}":"An error occurred using the connection to database '{database}' on server '{server}'."}}), EF + " + " + NPG)
add(X, J({"@t":"2026-11-22T09:20:02.900Z","@mt":"Unhandled exception in {Endpoint}","@l":"Error","@x":"System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached.\n   at Microsoft.Data.ProviderBase.DbConnectionFactory.TryGetConnection(DbConnection owningConnection, TaskCompletionSource`1 retry, DbConnectionOptions userOptions, DbConnectionInternal oldConnection, DbConnectionInternal& connection)","Endpoint":"GET /api/invoices"}), SQLCL)
add(X, J({"Timestamp":"2026-11-22T09:20:03.001Z","EventId":20004,"LogLevel":"Error","Category":"Microsoft.EntityFrameworkCore.Database.Connection","Message":"An error occurred using the connection to database 'Billing' on server 'sql-01.corp'.","Exception":"System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.  This may have occurred because all pooled connections were in use and max pool size was reached."}), EF + " + " + SQLCL)
# Python
add(X, J({"timestamp":"2026-11-22T09:21:00.212Z","level":"ERROR","logger":"app.api","message":"Exception on /orders [POST]","exc_info":"Traceback (most recent call last):\n  File \"/srv/app/.venv/lib/python3.12/site-packages/sqlalchemy/pool/impl.py\", line 164, in _do_get\n    raise exc.TimeoutError(\nsqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"}), SAIMPL)
add(X, J({"event":"projection batch failed","level":"error","timestamp":"2026-11-22T09:21:01.733Z","logger":"projector","exception":"Traceback (most recent call last):\n  File \"/srv/app/projector.py\", line 88, in run\n    with pool.connection() as conn:\npsycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec"}), PSYP)
add(X, "Traceback (most recent call last):\n  File \"/srv/app/worker.py\", line 41, in handle\n    async with pool.connection() as conn:\npsycopg_pool.TooManyRequests: the pool 'orders-pool' has already 32 requests waiting", PSYP)
# Node
add(X, J({"level":50,"time":1795338481118,"pid":1,"hostname":"api-7d9f","msg":"query failed","err":{"type":"Error","message":"timeout exceeded when trying to connect","stack":"Error: timeout exceeded when trying to connect\n    at Timeout._onTimeout (/app/node_modules/pg-pool/index.js:45:38)\n    at listOnTimeout (node:internal/timers:573:17)"}}), PGPOOL)
add(X, J({"level":50,"time":1795338482004,"msg":"import failed","err":{"type":"KnexTimeoutError","message":"Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?","stack":"KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?\n    at Client_PG.acquireConnection (/app/node_modules/knex/lib/client.js:332:26)"}}), KNEX)
add(X, J({"level":50,"time":1795338483290,"msg":"handler error","err":{"type":"PrismaClientKnownRequestError","message":"\nInvalid `prisma.order.findMany()` invocation:\n\n\nTimed out fetching a new connection from the connection pool. More info: http://pris.ly/d/connection-pool (Current connection pool timeout: 10, connection limit: 5)","code":"P2024"}}), PRISMA)
add(X, J({"level":50,"time":1795338484512,"msg":"request failed","err":{"type":"ConnectionAcquireTimeoutError","name":"SequelizeConnectionAcquireTimeoutError","message":"Operation timeout"}}), SEQ)
add(X, "SequelizeConnectionAcquireTimeoutError: Operation timeout\n    at ConnectionManager.getConnection (/app/node_modules/sequelize/lib/dialects/abstract/connection-manager.js:196:15)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)", SEQ)
add(X, J({"level":50,"time":1795338485880,"msg":"checkout failed","err":{"type":"Error","message":"No connections available.","stack":"Error: No connections available.\n    at Pool.getConnection (/app/node_modules/mysql2/lib/base/pool.js:109:14)"}}), MYSQL2)

# Elixir DBConnection (Ecto, Commanded/EventStore)
DBC = "elixir-ecto/db_connection@d87b9af5dc805f3225b2d86e0d7f4e9d7fae49a8 lib/db_connection/connection_pool.ex"
add(X, J({"time":"2026-11-22T09:30:12.118Z","severity":"error","message":"** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 2950ms. This means requests are coming in and your connection pool cannot serve them fast enough. You can address this by:\n\n  1. Ensuring your database is available and that you can connect to it\n  2. Tracking down slow queries and making sure they are running fast enough\n  3. Increasing the pool_size (although this increases resource consumption)\n  4. Allowing requests to wait longer by increasing :queue_target and :queue_interval\n\nSee DBConnection.start_link/2 for more information\n","metadata":{"application":"commanded","mfa":"Commanded.Event.Handler.handle_info/2"}}), DBC + " (logger_json layout)")
add(X, "09:30:14.502 [error] ** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 1187ms. This means requests are coming in and your connection pool cannot serve them fast enough. You can address this by:", DBC + " (Elixir Logger console layout, first line of the message)")

# ---------------------------------------------------------------- pool_pressure
P = "pool_pressure"
add(P, J({"@timestamp":"2026-11-22T09:22:00.012Z","@version":"1","message":"HikariPool-1 - Before cleanup stats (total=10/10, idle=0/10, active=10, waiting=8)","logger_name":"com.zaxxer.hikari.pool.HikariPool","thread_name":"HikariPool-1 housekeeper","level":"DEBUG","level_value":10000}), HK6)
add(P, "2026-11-22 09:22:30.014 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - After cleanup  stats (total=20, active=20, idle=0, waiting=3)", HK5)
add(P, "2026-11-22 09:23:00.015 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Before cleanup stats (total=10, active=9, idle=1, waiting=1)", HK4)
add(P, "2026-11-22 09:23:04.118  WARN 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.ProxyLeakTask     : Connection leak detection triggered for org.postgresql.jdbc.PgConnection@1b2c3d4e on thread http-nio-8080-exec-4, stack trace follows\njava.lang.Exception: Apparent connection leak detected\n\tat com.acme.orders.OrderService.export(OrderService.java:212)\n\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)", HKLEAK)
add(P, J({"@timestamp":"2026-11-22T09:23:05.220Z","@version":"1","message":"Connection leak detection triggered for com.mysql.cj.jdbc.ConnectionImpl@7e0b85e on thread scheduling-1, stack trace follows","logger_name":"com.zaxxer.hikari.pool.ProxyLeakTask","thread_name":"HikariPool-1 housekeeper","level":"WARN","level_value":30000,"stack_trace":"java.lang.Exception: Apparent connection leak detected\n\tat com.acme.billing.InvoiceJob.run(InvoiceJob.java:57)\n"}), HKLEAK)
add(P, "2026-11-22 09:23:06,441 WARN [PoolCleaner[1146316133:1795338186441]] org.apache.tomcat.jdbc.pool.ConnectionPool Connection has been abandoned PooledConnection[org.postgresql.jdbc.PgConnection@6f2b958e]:java.lang.Exception\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.getThreadDump(ConnectionPool.java:1163)\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.borrowConnection(ConnectionPool.java:874)", TOMCAT)
add(P, J({"@timestamp":"2026-11-22T09:23:07.500Z","message":"Connection has been marked suspect, possibly abandoned PooledConnection[com.mysql.cj.jdbc.ConnectionImpl@3f1d2a9b][61234 ms.]:java.lang.Exception\n\tat org.apache.tomcat.jdbc.pool.ConnectionPool.getThreadDump(ConnectionPool.java:1163)","logger_name":"org.apache.tomcat.jdbc.pool.ConnectionPool","level":"WARN"}), TOMCAT)
add(P, J({"timestamp":"2026-11-22T09:23:08.610Z","level":"ERROR","logger":"sqlalchemy.pool.impl.AsyncAdaptedQueuePool","message":"The garbage collector is trying to clean up non-checked-in connection <AdaptedConnection <asyncpg.connection.Connection object at 0x7f3a2c1e5d80>>, which will be terminated.  Please ensure that SQLAlchemy pooled connections are returned to the pool explicitly, either by calling ``close()`` or by using appropriate context managers to manage their lifecycle."}), SABASE)
add(P, "/srv/app/.venv/lib/python3.12/site-packages/sqlalchemy/pool/base.py:1030: SAWarning: The garbage collector is trying to clean up non-checked-in connection <psycopg.Connection [IDLE] (host=10.0.7.5 database=orders) at 0x7f55c9b3e210>, which will be dropped, as it cannot be safely terminated.  Please ensure that SQLAlchemy pooled connections are returned to the pool explicitly, either by calling ``close()`` or by using appropriate context managers to manage their lifecycle.", SABASE)
add(P, J({"timestamp":"2026-11-22T09:23:09.004412Z","level":"WARN","fields":{"message":"acquired connection, but time to acquire exceeded slow threshold","acquired_after_secs":4.215,"slow_acquire_threshold_secs":2.0},"target":"sqlx::pool::acquire"}), SQLXACQ)
add(P, "2026-11-22T09:23:10.881532Z  WARN sqlx::pool::acquire: acquired connection, but time to acquire exceeded slow threshold acquired_after_secs=2.731 slow_acquire_threshold_secs=2.0", SQLXACQ + " (tracing-subscriber fmt layout)")
add(P, grab("pgbouncer.log", "taking connection from reserve_pool"), PGB)
add(P, "2026-11-22 09:23:12.001 UTC [1] LOG stats: 412 xacts/s, 1904 queries/s, 0 client parses/s, 0 server parses/s, 0 binds/s, 38 client logins/s, in 512034 B/s, out 2203311 B/s, xact 8123 us, query 1710 us, wait 1480211 us", PGBSRC, )
add(P, J({"timestamp":"2026-11-22T09:23:13.000Z","level":"WARN","fields":{"message":"High connection pool utilization","utilization_percent":92.5},"target":"eventcore_app::pool"}), EVC)
add(P, J({"timestamp":"2026-11-22T09:23:14.000Z","level":"INFO","fields":{"message":"Pool health: 19 active, 1 idle, 95.0% utilization"},"target":"eventcore_app::pool"}), EVCT)
URLLIB3 = "urllib3/urllib3@266b347d393a16684f2b5abb87aeb5b13ca4f0b7 src/urllib3/connectionpool.py"
add(P, "WARNING:urllib3.connectionpool:Connection pool is full, discarding connection: storage.googleapis.com. Connection pool size: 10", URLLIB3 + " (logging.basicConfig layout)")
add(P, J({"timestamp":"2026-11-22T09:23:16.207Z","level":"WARNING","logger":"urllib3.connectionpool","message":"Connection pool is full, discarding connection: s3.eu-west-1.amazonaws.com. Connection pool size: 10"}), URLLIB3)
add(P, "warn(prisma-client) This is the 10th instance of Prisma Client being started. Make sure this is intentional.", PRISMAWARN)

# ---------------------------------------------------------------- benign (hard)
B = "benign"
add(B, "2026-11-22 08:00:00.412  INFO 1 --- [           main] com.zaxxer.hikari.HikariDataSource       : HikariPool-1 - Starting...", HKDS)
add(B, J({"@timestamp":"2026-11-22T08:00:00.731Z","@version":"1","message":"HikariPool-1 - Start completed.","logger_name":"com.zaxxer.hikari.HikariDataSource","thread_name":"main","level":"INFO","level_value":20000}), HKDS)
add(B, "2026-11-22 08:00:00.698 INFO 1 --- [           main] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@3c5dbdf8", HK6)
add(B, "2026-11-22 18:00:03.110  INFO 1 --- [ionShutdownHook] com.zaxxer.hikari.HikariDataSource       : HikariPool-1 - Shutdown initiated...", HKDS)
add(B, J({"@timestamp":"2026-11-22T18:00:03.161Z","message":"HikariPool-1 - Shutdown completed.","logger_name":"com.zaxxer.hikari.HikariDataSource","level":"INFO"}), HKDS)
add(B, J({"@timestamp":"2026-11-22T08:00:30.002Z","@version":"1","message":"HikariPool-1 - Before cleanup stats (total=10/10, idle=8/10, active=2, waiting=0)","logger_name":"com.zaxxer.hikari.pool.HikariPool","thread_name":"HikariPool-1 housekeeper","level":"DEBUG","level_value":10000}), HK6)
add(B, "2026-11-22 08:01:00.003 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - After cleanup  stats (total=10, active=1, idle=9, waiting=0)", HK5)
add(B, "2026-11-22 08:01:30.004 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Fill pool skipped, pool has sufficient level or currently being filled.", HK6)
add(B, "2026-11-22 08:02:00.115 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.PoolBase          : HikariPool-1 - Closing connection org.postgresql.jdbc.PgConnection@4f0b5a1c: (connection has passed maxLifetime)", HK6 + " + PoolBase.java")
add(B, "2026-11-22 08:02:04.220  INFO 1 --- [nio-8080-exec-4] com.zaxxer.hikari.pool.ProxyLeakTask     : Previously reported leaked connection org.postgresql.jdbc.PgConnection@1b2c3d4e on thread http-nio-8080-exec-4 was returned to the pool (unleaked)", HKLEAK)
add(B, grab("server.log", "cannot be changed without restarting"), PG)
add(B, grab("server.json", "cannot be changed without restarting"), PG)
add(B, grab("server.log", "connection authorized: user=app2 database=orders"), PG)
add(B, grab("server.log", "disconnection: session time", 2), PG)
add(B, grab("pgbouncer.log", "max_client_conn: 3"), PGB)
add(B, grab("pgbouncer.log", "closing because: client close request"), PGB)
add(B, grab("pgbouncer.log", "login attempt: db=orders"), PGB)
add(B, grab("pgbouncer.log", "new connection to server"), PGB)
add(B, "2026-11-22 08:03:00.001 UTC [1] LOG stats: 35 xacts/s, 140 queries/s, 0 client parses/s, 0 server parses/s, 0 binds/s, 2 client logins/s, in 40213 B/s, out 180112 B/s, xact 2210 us, query 480 us, wait 12 us", PGBSRC)
add(B, "1:M 22 Nov 2026 08:00:00.123 * Increased maximum number of open files to 10032 (it was originally set to 1024).", REDISSRV)
add(B, grab("maria-stderr.log", "extra_max_connections"), MARIALOG)
add(B, grab("maria-stderr.log", "max_open_files"), MARIALOG)
add(B, J({"timestamp":"2026-11-22T08:04:00.120331Z","level":"DEBUG","fields":{"message":"acquired connection","acquired_after_secs":0.0012},"target":"sqlx::pool::acquire"}), SQLXACQ)
add(B, "2026-11-22T08:04:00.338410Z DEBUG sqlx::pool::acquire: acquired connection acquired_after_secs=0.000731", SQLXACQ + " (tracing-subscriber fmt layout)")
add(B, J({"timestamp":"2026-11-22T08:04:01.000Z","level":"INFO","fields":{"message":"Connection pool status","max_connections":20,"current_size":6,"idle_connections":4,"active_connections":2},"target":"eventcore_app::pool"}), EVC)
add(B, J({"timestamp":"2026-11-22T08:04:02.000Z","level":"INFO","fields":{"message":"Pool health: 3 active, 7 idle, 30.0% utilization"},"target":"eventcore_app::pool"}), EVCT)
add(B, J({"timestamp":"2026-11-22T08:04:03.010Z","level":"INFO","logger":"psycopg.pool","message":"pool 'orders-pool' is ready to use"}), PSYP)
add(B, J({"timestamp":"2026-11-22T08:04:04.200Z","level":"INFO","logger":"psycopg.pool","message":"growing pool 'orders-pool' to 6"}), PSYP)
add(B, J({"timestamp":"2026-11-22T08:14:04.200Z","level":"INFO","logger":"psycopg.pool","message":"shrinking pool 'orders-pool' to 4 because 2 unused connections in the last 600.0 sec"}), PSYP)
add(B, "2026-11-22 08:04:05,118 INFO psycopg.pool connection requested from 'orders-pool'", PSYP)
add(B, "2026-11-22 08:04:05,119 INFO psycopg.pool connection given by 'orders-pool'", PSYP)
add(B, J({"timestamp":"2026-11-22T08:04:06.501Z","level":"INFO","logger":"sqlalchemy.pool.impl.QueuePool","message":"Connection <psycopg2.extensions.connection object at 0x7f9b3c2d1e40; dsn: 'user=orders dbname=orders host=10.0.7.5', closed: 0> exceeded timeout; recycling"}), SABASE)
add(B, J({"timestamp":"2026-11-22T08:04:07.000Z","level":"INFO","logger":"app.health","message":"Pool size: 5  Connections in pool: 4 Current Overflow: -4 Current Checked out connections: 1"}), SAIMPL)
add(B, "2026-11-22 08:04:08,220 DEBUG sqlalchemy.pool.impl.QueuePool Connection <psycopg2.extensions.connection object at 0x7f9b3c2d1e40; dsn: 'user=orders dbname=orders host=10.0.7.5', closed: 0> checked out from pool", SABASE)
add(B, J({"Timestamp":"2026-11-22T08:04:09.300Z","EventId":1005,"LogLevel":"Debug","Category":"Npgsql.Connection","Message":"Connection has exceeded its maximum lifetime ('01:00:00') and will be closed.","State":{"Message":"Connection has exceeded its maximum lifetime ('01:00:00') and will be closed.","ConnectionMaximumLifeTime":"01:00:00","{OriginalFormat}":"Connection has exceeded its maximum lifetime ('{ConnectionMaximumLifeTime}') and will be closed."}}), NPGLOG)
add(B, J({"@t":"2026-11-22T08:04:10.012Z","@mt":"Opened physical connection to {Host}:{Port}/{Database} (in {DurationMs}ms)","@l":"Debug","Host":"pg-primary","Port":5432,"Database":"orders","DurationMs":12,"SourceContext":"Npgsql.Connection"}), NPGLOG)
add(B, J({"t":{"$date":"2026-11-22T08:04:11.402+00:00"},"s":"I","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted","attr":{"remote":"10.0.9.14:50388","uuid":{"uuid":{"$uuid":"6a1f3c2e-0d4b-4b7e-9f1a-2c3d4e5f6a7b"}},"connectionId":4812,"connectionCount":212}}), MONGOD)
add(B, J({"t":{"$date":"2026-11-22T08:04:12.771+00:00"},"s":"I","c":"NETWORK","id":22944,"ctx":"conn4812","msg":"Connection ended","attr":{"remote":"10.0.9.14:50388","uuid":{"uuid":{"$uuid":"6a1f3c2e-0d4b-4b7e-9f1a-2c3d4e5f6a7b"}},"connectionId":4812,"connectionCount":211}}), MONGOD)
add(B, "{ t: 2026-11-22T08:04:13.000Z, c: 'connection', s: 'debug', serverHost: 'mongo-0.mongo', serverPort: 27017, message: 'Connection pool created', maxIdleTimeMS: 0, minPoolSize: 0, maxPoolSize: 100, maxConnecting: 2, waitQueueTimeoutMS: 0 }", MONGOLOG + " (createStdioLogger: util.inspect layout)")
add(B, "{ t: 2026-11-22T08:04:13.010Z, c: 'connection', s: 'debug', serverHost: 'mongo-0.mongo', serverPort: 27017, message: 'Connection pool ready' }", MONGOLOG + " (createStdioLogger: util.inspect layout)")
add(B, "{ t: 2026-11-22T18:04:13.010Z, c: 'connection', s: 'debug', serverHost: 'mongo-0.mongo', serverPort: 27017, message: 'Connection pool closed' }", MONGOLOG + " (createStdioLogger: util.inspect layout)")
add(B, "prisma:info Starting a postgresql pool with 21 connections.", PRISMAPOOL)
add(B, J({"level":30,"time":1795334653000,"msg":"prisma:info Starting a postgresql pool with 10 connections in PgBouncer mode."}), PRISMAPOOL)
add(B, "2026-11-22 08:04:14,500 WARN [main] org.apache.tomcat.jdbc.pool.ConnectionPool maxIdle is larger than maxActive, setting maxIdle to: 50", TOMCAT)
add(B, "2026-11-22 08:04:14,501 WARN [main] org.apache.tomcat.jdbc.pool.ConnectionPool initialSize is larger than maxActive, setting initialSize to: 50", TOMCAT)
add(B, "2026-11-22 08:04:15.020 DEBUG 1 --- [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - After cleanup  stats (total=5/10, idle=5/5, active=0, waiting=0)", HK6)

add(B, "2026-11-22 08:05:00.210 DEBUG 1 --- [nio-8080-exec-2] com.zaxxer.hikari.pool.PoolBase          : HikariPool-1 - Closing connection org.postgresql.jdbc.PgConnection@2a4f1c77: (connection evicted)", HK6 + " + PoolBase.java")
add(B, "2026-11-22 08:05:01,119 INFO psycopg.pool returning connection to 'orders-pool'", PSYP)
add(B, J({"timestamp":"2026-11-22T08:05:02.000Z","level":"INFO","logger":"psycopg.pool","message":"resizing 'orders-pool' to min_size=4 max_size=20"}), PSYP)
add(B, "2026-11-22 08:35:02,512 INFO psycopg.pool discarding expired connection", PSYP)
add(B, "2026-11-22 08:05:03,001 WARN [main] org.apache.tomcat.jdbc.pool.ConnectionPool minIdle is larger than maxActive, setting minIdle to: 20", TOMCAT)
add(B, grab("server.json", "connection authorized: user=app2 database=orders"), PG)

import collections
with open("/tmp/tailwatch-capture/corpus/pools.jsonl", "w") as f:
    for e in E:
        f.write(json.dumps(e, ensure_ascii=False) + "\n")
print(collections.Counter(e["category"] for e in E))
