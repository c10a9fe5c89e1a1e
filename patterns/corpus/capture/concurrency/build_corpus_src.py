# Lines composed from message texts read in the cited sources (executed by build_corpus.py).
import json as _j
def J(d): return _j.dumps(d, separators=(",", ":"), ensure_ascii=False)
def JS(d): return _j.dumps(d, ensure_ascii=False)      # python-json-logger / structlog spacing

HIBC = "hibernate/hibernate-orm@c93425dd920293564a43c7b082feab3b30193fb9 (6.6.9) "
HIB7 = "hibernate/hibernate-orm@fad1729dce015f908198d57a8d80274a30f905a5 "
SPR = "spring-projects/spring-framework@6214eae8bd02c2ed7ab382bb8d16a9cc6de49522 (v6.2.19) "
AX = "AxonFramework/AxonFramework@bafad882717a64c96d49cbd58a07e9a78403b4c0 (axon-4.13.0) "
EFC = "dotnet/efcore@d45c6483aa13a1c4ecc6e9da427ce6826ffb45a5 (v9.0.19) "
NPG = "npgsql/npgsql@3cb5804b769b000a1fc88ad8e5e764667f0df4a1 "
EC = "jwilger/eventcore@68c38b469b3b8b300cf4ca6400cb9abe8187bce9 "
JFX = "JasperFx/jasperfx@4ee0695e19e65904ffacbe09881208dbe6799eef "
PGJ = "; PSQLException text as captured from PgJDBC 42.5.5 (/tmp/tailwatch-capture/concurrency/java/Capture.java)"

PG_DEADLOCK_MSG = ("ERROR: deadlock detected\n  Detail: Process 28811 waits for ShareLock on transaction 91377; blocked by process 28790.\n"
                   "Process 28790 waits for ShareLock on transaction 91376; blocked by process 28811.\n"
                   "  Hint: See server log for query details.\n  Where: while updating tuple (12,4) in relation \"account\"")
PGJDBC_FRAMES = ("\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2676)\n"
                 "\tat org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2366)\n"
                 "\tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:356)\n"
                 "\tat org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:496)\n")

# ---------------- JVM: Hibernate / Spring ----------------
ent = "com.example.orders.domain.Order#42"
stale66 = f"Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect): [{ent}]"
add("concurrency_conflict",
    "2026-11-23T10:15:02.412Z ERROR 1 --- [orders-service] [nio-8080-exec-3] c.e.orders.web.OrderController           : Cancel of order 42 failed\n\n"
    f"org.springframework.orm.ObjectOptimisticLockingFailureException: {stale66}\n"
    "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:329)\n"
    "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)\n"
    "\tat org.springframework.orm.jpa.JpaTransactionManager.doCommit(JpaTransactionManager.java:576)\n"
    "\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.processCommit(AbstractPlatformTransactionManager.java:795)\n"
    "\t... 48 common frames omitted\n"
    f"Caused by: org.hibernate.StaleObjectStateException: {stale66}\n"
    "\t... 12 common frames omitted",
    SPR + "spring-orm/src/main/java/org/springframework/orm/jpa/vendor/HibernateJpaDialect.java; " + HIBC + "hibernate-core/src/main/java/org/hibernate/StaleObjectStateException.java")
stmt = "update orders set status=?,version=? where id=? and version=?"
batch = f"Batch update returned unexpected row count from update [0]; actual row count: 0; expected: 1; statement executed: {stmt}"
add("concurrency_conflict", J({"@timestamp": "2026-11-23T10:17:44.031Z", "@version": "1", "message": "Order update failed", "logger_name": "com.example.orders.OrderService",
    "thread_name": "http-nio-8080-exec-7", "level": "ERROR", "level_value": 40000,
    "stack_trace": f"org.springframework.orm.ObjectOptimisticLockingFailureException: {batch}\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:332)\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)\n\t... 31 common frames omitted\nCaused by: org.hibernate.StaleStateException: {batch}\n\t... 40 common frames omitted\n"}),
    SPR + "spring-orm/src/main/java/org/springframework/orm/jpa/vendor/HibernateJpaDialect.java; " + HIBC + "hibernate-core/src/main/java/org/hibernate/jdbc/Expectations.java")
add("concurrency_conflict",
    "10:18:09.771 [vert.x-worker-thread-2] ERROR c.e.inventory.StockResource - Reservation 7781 failed\n"
    "jakarta.persistence.OptimisticLockException: Row was already updated or deleted by another transaction for entity [com.example.inventory.StockItem#A-1001]\n"
    "\tat org.hibernate.internal.ExceptionConverterImpl.wrapStaleStateException(ExceptionConverterImpl.java:212)\n"
    "\tat org.hibernate.internal.ExceptionConverterImpl.convert(ExceptionConverterImpl.java:83)\n"
    "Caused by: org.hibernate.StaleObjectStateException: Row was already updated or deleted by another transaction for entity [com.example.inventory.StockItem#A-1001]\n"
    "\t... 23 more",
    HIB7 + "hibernate-core/src/main/java/org/hibernate/StaleObjectStateException.java, hibernate-core/src/main/java/org/hibernate/internal/ExceptionConverterImpl.java")
add("concurrency_conflict", "2026-11-23T10:20:11.093Z  WARN 1 --- [ledger] [pool-3-thread-2] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 40001",
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/jdbc/spi/SqlExceptionHelper.java")
add("concurrency_conflict", "2026-11-23T10:20:11.093Z ERROR 1 --- [ledger] [pool-3-thread-2] o.h.engine.jdbc.spi.SqlExceptionHelper   : ERROR: could not serialize access due to concurrent update",
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/jdbc/spi/SqlExceptionHelper.java" + PGJ)
cst = "update ledger_entries set state = ? where batch_id = ?"
ser = ("ERROR: could not serialize access due to read/write dependencies among transactions\n  Detail: Reason code: Canceled on identification as a pivot, during commit attempt.\n"
       "  Hint: The transaction might succeed if retried.")
add("concurrency_conflict", J({"@timestamp": "2026-11-23T10:22:40.508+01:00", "@version": "1", "message": "Settlement batch 311 failed", "logger_name": "com.example.ledger.SettlementJob",
    "thread_name": "scheduling-1", "level": "ERROR", "level_value": 40000,
    "stack_trace": f"org.springframework.dao.CannotSerializeTransactionException: PreparedStatementCallback; SQL [{cst}]; {ser}\n\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:282)\n\tat org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator.translate(AbstractFallbackSQLExceptionTranslator.java:107)\n\tat org.springframework.jdbc.core.JdbcTemplate.translateException(JdbcTemplate.java:1556)\n\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:677)\nCaused by: org.postgresql.util.PSQLException: {ser}\n{PGJDBC_FRAMES}\t... 18 common frames omitted\n"}),
    SPR + "spring-jdbc/src/main/java/org/springframework/jdbc/support/SQLErrorCodeSQLExceptionTranslator.java, spring-jdbc/src/main/resources/org/springframework/jdbc/support/sql-error-codes.xml, AbstractFallbackSQLExceptionTranslator.java (buildMessage)" + PGJ)
ins = "insert into events (stream_id, version, type, data) values (?, ?, ?, ?::jsonb)"
dup = "ERROR: duplicate key value violates unique constraint \"events_stream_id_version_key\"\n  Detail: Key (stream_id, version)=(order-42, 8) already exists."
add("concurrency_conflict",
    "2026-11-23 10:24:03.117  WARN 7 --- [nio-8080-exec-9] c.e.es.JdbcEventStore                    : Append to order-42 rejected\n\n"
    f"org.springframework.dao.DuplicateKeyException: PreparedStatementCallback; SQL [{ins}]; {dup}\n"
    "\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:254)\n"
    "\tat org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator.translate(AbstractFallbackSQLExceptionTranslator.java:107)\n"
    f"Caused by: org.postgresql.util.PSQLException: {dup}\n{PGJDBC_FRAMES}\t... 61 common frames omitted",
    SPR + "spring-jdbc/src/main/java/org/springframework/jdbc/support/SQLErrorCodeSQLExceptionTranslator.java, sql-error-codes.xml (duplicateKeyCodes 23505)" + PGJ)
# Spring Kafka listener whose cause is the only place the conflict is named
add("concurrency_conflict",
    "2026-11-23T10:26:55.902Z ERROR 1 --- [projector] [ntainer#0-0-C-1] c.e.orders.OrderEventsListener           : Projection of OrderShipped 9f2c failed\n\n"
    "org.springframework.kafka.listener.ListenerExecutionFailedException: Listener method 'public void com.example.orders.OrderEventsListener.on(com.example.orders.OrderShipped)' threw exception\n"
    "\tat org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter.invokeHandler(MessagingMessageListenerAdapter.java:513)\n"
    "\t... 15 common frames omitted\n"
    f"Caused by: org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect): [com.example.orders.view.OrderSummary#42]\n"
    "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:329)\n"
    "\t... 21 common frames omitted\n"
    "Caused by: org.hibernate.StaleObjectStateException: Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect): [com.example.orders.view.OrderSummary#42]\n"
    "\t... 30 common frames omitted",
    "spring-projects/spring-kafka@3f3cf7d88cd57a07061c91399026667f9a929c3e spring-kafka/src/main/java/org/springframework/kafka/listener/adapter/MessagingMessageListenerAdapter.java; " + SPR + "HibernateJpaDialect.java; " + HIBC + "StaleObjectStateException.java")
# Axon
axmsg = ("An event for aggregate [order-42] at sequence [7] was already inserted. Original message: [could not execute statement [ERROR: duplicate key value violates unique constraint \"uk8s1f994p4la2ipb13me2xqm1w\"\n"
         "  Detail: Key (aggregate_identifier, sequence_number)=(order-42, 7) already exists.] [insert into domain_event_entry (event_identifier,meta_data,payload,payload_revision,payload_type,time_stamp,aggregate_identifier,sequence_number,type,global_index) values (?,?,?,?,?,?,?,?,?,?)]]")
add("concurrency_conflict",
    f"2026-11-23 10:31:07.552  INFO 1 --- [ axon-retry-0] o.a.c.gateway.AbstractRetryScheduler     : Processing of Command [ShipOrderCommand] resulted in an exception. Will retry 2 more time(s)... Exception was org.axonframework.modelling.command.ConcurrencyException, {axmsg}",
    AX + "messaging/src/main/java/org/axonframework/commandhandling/gateway/AbstractRetryScheduler.java, eventsourcing/src/main/java/org/axonframework/eventsourcing/eventstore/AbstractEventStorageEngine.java; " + HIBC + "SqlExceptionHelper.java (convert)")
add("concurrency_conflict",
    "2026-11-23 10:31:09.118  WARN 1 --- [ axon-retry-0] o.a.c.callbacks.LoggingCallback          : Command resulted in exception: com.example.orders.ShipOrderCommand\n\n"
    "org.axonframework.modelling.command.ConcurrencyException: An event for aggregate [order-42] at sequence [7] was already inserted. Original message: [could not execute statement]\n"
    "\tat org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine.handlePersistenceException(AbstractEventStorageEngine.java:125)\n"
    "\t... 37 common frames omitted",
    AX + "messaging/src/main/java/org/axonframework/commandhandling/callbacks/LoggingCallback.java, eventsourcing/src/main/java/org/axonframework/eventsourcing/eventstore/AbstractEventStorageEngine.java")
add("concurrency_conflict", J({"@timestamp": "2026-11-23T10:33:12.640Z", "@version": "1", "message": "Command 'com.example.accounts.Withdraw' failed", "logger_name": "com.example.accounts.AccountController",
    "thread_name": "http-nio-8080-exec-2", "level": "WARN", "level_value": 30000,
    "stack_trace": "org.axonframework.modelling.command.ConflictingAggregateVersionException: The version of aggregate [acc-7731] was not as expected. Expected [12], but repository found [13]\n\tat org.axonframework.modelling.command.AbstractRepository.validateOnLoad(AbstractRepository.java:251)\n\t... 54 common frames omitted\n"}),
    AX + "modelling/src/main/java/org/axonframework/modelling/command/ConflictingAggregateVersionException.java")
# Akka Persistence (typed): the duplicate (persistence_id, sequence_number) is named only by the cause
add("concurrency_conflict",
    "[2026-11-23 10:35:21,004] [ERROR] [akka.actor.typed.internal.RestartSupervisor] [orders-akka.actor.default-dispatcher-17] [akka://orders/system/sharding/Order/12/Order%7C42] - "
    "Supervisor RestartSupervisor saw failure: Failed to persist event type [com.example.order.OrderEvent$Shipped] with sequence number [12] for persistenceId [Order|42]\n"
    "akka.persistence.typed.internal.JournalFailureException: Failed to persist event type [com.example.order.OrderEvent$Shipped] with sequence number [12] for persistenceId [Order|42]\n"
    "Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"event_journal_pkey\"\n"
    "  Detail: Key (persistence_id, sequence_number)=(Order|42, 12) already exists.\n" + PGJDBC_FRAMES.rstrip("\n"),
    "akka/akka@9892c5e415e41599db095469c5963f155a0d736d akka-persistence-typed/src/main/scala/akka/persistence/typed/internal/JournalFailureException.scala, akka-actor-typed/src/main/scala/akka/actor/typed/internal/Supervision.scala" + PGJ)

# JVM deadlocks / lock waits
lst = "update account set balance=? where id=?"
add("deadlock", J({"@timestamp": "2026-11-23T10:40:02.217Z", "@version": "1", "message": "Transfer 88121 failed", "logger_name": "com.example.ledger.TransferService",
    "thread_name": "http-nio-8080-exec-5", "level": "ERROR", "level_value": 40000,
    "stack_trace": f"org.springframework.dao.CannotAcquireLockException: could not execute statement [{PG_DEADLOCK_MSG}] [{lst}]; SQL [{lst}]\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:287)\n\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)\n\t... 29 common frames omitted\nCaused by: org.hibernate.exception.LockAcquisitionException: could not execute statement [{PG_DEADLOCK_MSG}] [{lst}]\n\tat org.hibernate.dialect.PostgreSQLDialect.lambda$buildSQLExceptionConversionDelegate$1(PostgreSQLDialect.java:1066)\n\t... 41 common frames omitted\nCaused by: org.postgresql.util.PSQLException: {PG_DEADLOCK_MSG}\n{PGJDBC_FRAMES}\t... 52 common frames omitted\n"}),
    SPR + "HibernateJpaDialect.java; " + HIBC + "hibernate-core/src/main/java/org/hibernate/dialect/PostgreSQLDialect.java, SqlExceptionHelper.java" + PGJ)
lt = "ERROR: canceling statement due to lock timeout\n  Where: while locking tuple (3,17) in relation \"stock_item\""
sel = "select si1_0.sku,si1_0.qty,si1_0.version from stock_item si1_0 where si1_0.sku=? for no key update"
add("deadlock",
    "2026-11-23T10:41:30.884Z ERROR 1 --- [inventory] [nio-8080-exec-1] c.e.inventory.web.ReservationController  : Reservation failed\n\n"
    f"org.springframework.dao.PessimisticLockingFailureException: could not extract ResultSet [{lt}] [{sel}]; SQL [{sel}]\n"
    "\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)\n"
    "\t... 22 common frames omitted\n"
    f"Caused by: org.hibernate.PessimisticLockException: could not extract ResultSet [{lt}] [{sel}]\n"
    "\t... 35 common frames omitted\n"
    f"Caused by: org.postgresql.util.PSQLException: {lt}\n" + PGJDBC_FRAMES.rstrip("\n"),
    SPR + "HibernateJpaDialect.java; " + HIBC + "PostgreSQLDialect.java (55P03), ResultSetReturnImpl.java" + PGJ)
add("deadlock", "2026-11-23T10:42:01.552Z  WARN 1 --- [ledger] [nio-8080-exec-6] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 0, SQLState: 40P01",
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/jdbc/spi/SqlExceptionHelper.java")
add("deadlock", "2026-11-23T10:42:01.552Z ERROR 1 --- [ledger] [nio-8080-exec-6] o.h.engine.jdbc.spi.SqlExceptionHelper   : " + PG_DEADLOCK_MSG,
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/jdbc/spi/SqlExceptionHelper.java" + PGJ)
add("deadlock", "2026-11-23 10:43:17.020  WARN 1 --- [io-8080-exec-11] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 1213, SQLState: 40001",
    HIBC + "SqlExceptionHelper.java; mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf src/main/core-api/java/com/mysql/cj/exceptions/MysqlErrorNumbers.java")
add("deadlock", "2026-11-23 10:43:19.402  WARN 1 --- [io-8080-exec-12] o.h.engine.jdbc.spi.SqlExceptionHelper   : SQL Error: 1205, SQLState: 40001",
    HIBC + "SqlExceptionHelper.java; mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf MysqlErrorNumbers.java (ER_LOCK_WAIT_TIMEOUT -> 40001)")
mst = "update stock set qty = qty - ? where sku = ?"
add("deadlock", J({"@timestamp": "2026-11-23T10:44:51.733Z", "@version": "1", "message": "Stock reservation failed for order 5521", "logger_name": "com.example.stock.StockDao",
    "thread_name": "reservation-pool-4", "level": "ERROR", "level_value": 40000,
    "stack_trace": f"org.springframework.dao.DeadlockLoserDataAccessException: PreparedStatementCallback; SQL [{mst}]; Deadlock found when trying to get lock; try restarting transaction\n\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:278)\n\tat org.springframework.jdbc.support.AbstractFallbackSQLExceptionTranslator.translate(AbstractFallbackSQLExceptionTranslator.java:107)\nCaused by: com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Deadlock found when trying to get lock; try restarting transaction\n\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:115)\n\t... 19 common frames omitted\n"}),
    SPR + "SQLErrorCodeSQLExceptionTranslator.java, sql-error-codes.xml (MySQL deadlockLoserCodes 1213); mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf src/main/user-impl/java/com/mysql/cj/jdbc/exceptions/SQLError.java")
add("deadlock",
    "2026-11-23 10:46:02.381 ERROR 1 --- [   scheduling-1] c.e.billing.InvoiceRunner                : Invoice run 2026-11 aborted\n\n"
    f"org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL [update invoice set state = ? where id = ?]; Lock wait timeout exceeded; try restarting transaction\n"
    "\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:274)\n"
    "Caused by: com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Lock wait timeout exceeded; try restarting transaction\n"
    "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:115)\n\t... 27 common frames omitted",
    SPR + "SQLErrorCodeSQLExceptionTranslator.java, sql-error-codes.xml (MySQL cannotAcquireLockCodes 1205); mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf SQLError.java")
add("deadlock", J({"@timestamp": "2026-11-23T09:58:44.107Z", "@version": "1", "message": "Application run failed", "logger_name": "org.springframework.boot.SpringApplication",
    "thread_name": "main", "level": "ERROR", "level_value": 40000,
    "stack_trace": "liquibase.exception.LockException: Could not acquire change log lock.  Currently locked by orders-7f9c4d (10.42.3.17) since 11/23/26, 9:41 AM\n\tat liquibase.lockservice.StandardLockService.waitForLock(StandardLockService.java:297)\n\t... 38 common frames omitted\n"}),
    "liquibase/liquibase@cdbdec7fa9dd7d547185b52db4e8c0b350f9789b liquibase-standard/src/main/java/liquibase/lockservice/StandardLockService.java")

# JVM benign
add("benign", "2026-11-23T11:00:00.004Z  INFO 1 --- [orders-service] [   scheduling-1] o.h.stat.internal.StatisticsImpl         : HHH000187: Optimistic lock failures: 0",
    HIBC + "hibernate-core/src/main/java/org/hibernate/internal/CoreMessageLogger.java (id 187), stat/internal/StatisticsImpl.java")
add("benign", J({"@timestamp": "2026-11-23T12:00:00.006Z", "@version": "1", "message": "HHH000187: Optimistic lock failures: 0", "logger_name": "org.hibernate.stat.internal.StatisticsImpl",
    "thread_name": "scheduling-1", "level": "INFO", "level_value": 20000}), HIBC + "CoreMessageLogger.java (id 187)")
add("benign", "2026-11-23T08:00:03.311Z DEBUG 1 --- [orders-service] [           main] o.h.m.internal.AttributeFactory          : Building version attribute [com.example.orders.domain.Order.version]",
    HIBC + "hibernate-core/src/main/java/org/hibernate/metamodel/internal/AttributeFactory.java")
add("benign", "2026-11-23T08:00:03.402Z TRACE 1 --- [orders-service] [           main] org.hibernate.engine.spi.VersionValue    : Version unsaved-value strategy UNDEFINED",
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/spi/VersionValue.java")
add("benign", "2026-11-23T08:10:15.880Z TRACE 1 --- [orders-service] [nio-8080-exec-1] o.h.engine.internal.Versioning           : Using initial version: 0",
    HIBC + "hibernate-core/src/main/java/org/hibernate/engine/internal/Versioning.java")
add("benign", "2026-11-23T08:10:15.870Z DEBUG 1 --- [ledger] [nio-8080-exec-1] o.s.orm.jpa.JpaTransactionManager        : Creating new transaction with name [com.example.ledger.TransferService.transfer]: PROPAGATION_REQUIRED,ISOLATION_SERIALIZABLE",
    SPR + "spring-tx/src/main/java/org/springframework/transaction/support/AbstractPlatformTransactionManager.java, DefaultTransactionDefinition.java")
LQ = "liquibase/liquibase@cdbdec7fa9dd7d547185b52db4e8c0b350f9789b liquibase-standard/src/main/java/liquibase/lockservice/StandardLockService.java"
add("benign", "2026-11-23T09:41:02.117Z  INFO 1 --- [orders-service] [           main] liquibase.lockservice                    : Waiting for changelog lock....", LQ)
add("benign", "2026-11-23T09:41:12.254Z  INFO 1 --- [orders-service] [           main] liquibase.lockservice                    : Successfully acquired change log lock",
    LQ + ", liquibase-standard/src/main/resources/liquibase/i18n/liquibase-core.properties")
add("benign", "2026-11-23T09:41:14.990Z  INFO 1 --- [orders-service] [           main] liquibase.lockservice                    : Successfully released change log lock", LQ)
add("benign", "2026-11-23 10:52:00.018  INFO 1 --- [   snapshotter-1] o.a.e.AbstractSnapshotter                : An up-to-date snapshot entry already exists, ignoring this attempt.",
    AX + "eventsourcing/src/main/java/org/axonframework/eventsourcing/AbstractSnapshotter.java")

# ---------------- .NET: EF Core, Npgsql, KurrentDB, Marten/JasperFx ----------------
efmsg = ("The database operation was expected to affect 1 row(s), but actually affected 0 row(s); data may have been modified or deleted since entities were loaded. "
         "See https://go.microsoft.com/fwlink/?LinkId=527962 for information on understanding and handling optimistic concurrency exceptions.")
add("concurrency_conflict", J({"Timestamp": "2026-11-23T11:05:12.4471234Z", "EventId": 0, "LogLevel": "Error", "Category": "Shop.Orders.OrderService",
    "Message": "Saving order 42 failed", "Exception": f"Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException: {efmsg}\n   at Microsoft.EntityFrameworkCore.Update.AffectedCountModificationCommandBatch.ThrowAggregateUpdateConcurrencyExceptionAsync(RelationalDataReader reader, Int32 commandIndex, Int32 expectedRowsAffected, Int32 rowsAffected, CancellationToken cancellationToken)\n   at Microsoft.EntityFrameworkCore.DbContext.SaveChangesAsync(Boolean acceptAllChangesOnSuccess, CancellationToken cancellationToken)\n   at Shop.Orders.OrderService.CancelAsync(Int32 id) in /src/Shop.Orders/OrderService.cs:line 88",
    "State": {"Message": "Saving order 42 failed", "{OriginalFormat}": "Saving order {OrderId} failed", "OrderId": 42}}),
    EFC + "src/EFCore.Relational/Properties/RelationalStrings.resx (UpdateConcurrencyException), src/EFCore.Relational/Update/AffectedCountModificationCommandBatch.cs")
efmsg3 = efmsg.replace("affect 1 row(s), but actually affected 0 row(s)", "affect 3 row(s), but actually affected 2 row(s)")
add("concurrency_conflict", J({"@t": "2026-11-23T11:06:40.1029911Z", "@mt": "Checkout of basket {BasketId} failed", "@l": "Warning", "BasketId": "b-8812",
    "@x": f"Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException: {efmsg3}\n   at Microsoft.EntityFrameworkCore.Update.AffectedCountModificationCommandBatch.ThrowAggregateUpdateConcurrencyException(RelationalDataReader reader, Int32 commandIndex, Int32 expectedRowsAffected, Int32 rowsAffected)",
    "SourceContext": "Shop.Basket.CheckoutHandler"}), EFC + "src/EFCore.Relational/Properties/RelationalStrings.resx (UpdateConcurrencyException)")
add("concurrency_conflict", J({"Timestamp": "2026-11-23T11:08:02.0057313Z", "EventId": 10000, "LogLevel": "Error", "Category": "Microsoft.EntityFrameworkCore.Update",
    "Message": "An exception occurred in the database while saving changes for context type 'Shop.Data.ShopContext'.\nMicrosoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes. See the inner exception for details.\n ---> Npgsql.PostgresException (0x80004005): 40001: could not serialize access due to concurrent update\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)",
    "Exception": "Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes. See the inner exception for details.\n ---> Npgsql.PostgresException (0x80004005): 40001: could not serialize access due to concurrent update\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)\n   --- End of inner exception stack trace ---",
    "State": {"Message": "An exception occurred in the database while saving changes for context type 'Shop.Data.ShopContext'.", "contextType": "Shop.Data.ShopContext", "{OriginalFormat}": "An exception occurred in the database while saving changes for context type '{contextType}'.{newline}{error}"}}),
    EFC + "src/EFCore/Properties/CoreStrings.resx (LogExceptionDuringSaveChanges), src/EFCore.Relational/Properties/RelationalStrings.resx (UpdateStoreException); " + NPG + "src/Npgsql/PostgresException.cs (GetMessage)")
add("concurrency_conflict", J({"@t": "2026-11-23T11:09:15.7720146Z", "@mt": "Posting journal {JournalId} failed", "@l": "Error", "JournalId": 90211,
    "@x": "Npgsql.PostgresException (0x80004005): 40001: could not serialize access due to read/write dependencies among transactions\n\nDETAIL: Reason code: Canceled on identification as a pivot, during commit attempt.\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)",
    "SourceContext": "Ledger.Posting.JournalPoster"}), NPG + "src/Npgsql/PostgresException.cs (GetMessage)")
add("concurrency_conflict", J({"@t": "2026-11-23T11:10:03.5512007Z", "@mt": "Append to {Stream} failed", "@l": "Error", "Stream": "order-42",
    "@x": "KurrentDB.Client.WrongExpectedVersionException: Append failed due to WrongExpectedVersion. Stream: order-42, Expected version: 5, Actual version: 6\n   at KurrentDB.Client.KurrentDBClient.AppendToStreamInternal(ChannelInfo channelInfo, AppendReq header, IEnumerable`1 messageData, AppendToStreamOptions operationOptions, CancellationToken cancellationToken)",
    "SourceContext": "Orders.Infrastructure.EventStoreRepository"}), "kurrent-io/EventStore-Client-Dotnet@ad441a6c985e8c1aa488d7293e286d888b58ba09 src/KurrentDB.Client/Core/Exceptions/WrongExpectedVersionException.cs, src/KurrentDB.Client/Core/StreamState.cs")
add("concurrency_conflict", J({"Timestamp": "2026-11-23T11:11:47.9031550Z", "EventId": 0, "LogLevel": "Warning", "Category": "Carts.Api.CartEndpoints",
    "Message": "Could not open cart cart-7", "Exception": "EventStore.Client.WrongExpectedVersionException: Append failed due to WrongExpectedVersion. Stream: cart-7, Expected state: NoStream, Actual version: 3\n   at EventStore.Client.EventStoreClient.AppendToStreamInternal(ChannelInfo channelInfo, AppendReq header, IEnumerable`1 eventData, EventStoreClientOperationOptions operationOptions, Nullable`1 deadline, UserCredentials userCredentials, CancellationToken cancellationToken)",
    "State": {"Message": "Could not open cart cart-7", "CartId": "cart-7", "{OriginalFormat}": "Could not open cart {CartId}"}}),
    "kurrent-io/EventStore-Client-Dotnet@f267b97d4936c95cbf34b61826d65b9c60260899 (v23.3.8) src/EventStore.Client/Exceptions/WrongExpectedVersionException.cs")
add("concurrency_conflict", J({"@t": "2026-11-23T11:13:22.0148820Z", "@mt": "Command {Command} failed for stream {StreamId}", "@l": "Error", "Command": "ConfirmTrip", "StreamId": "5e3bd0f2-7c1a-4f43-9b0c-2a1f0e6d9a11",
    "@x": "JasperFx.Events.EventStreamUnexpectedMaxEventIdException: Unexpected starting version number for event stream '5e3bd0f2-7c1a-4f43-9b0c-2a1f0e6d9a11', expected 4 but was 5\n   at Marten.Internal.Sessions.DocumentSessionBase.SaveChangesAsync(CancellationToken token)",
    "SourceContext": "Trips.Handlers.ConfirmTripHandler"}), JFX + "src/JasperFx.Events/EventStreamUnexpectedMaxEventIdException.cs; JasperFx/marten@c921fa5dfdf7d540b5fe85d833831080c07c94d6 src/Marten/Services/EventStreamUnexpectedMaxEventIdExceptionTransform.cs")
add("concurrency_conflict", J({"Timestamp": "2026-11-23T11:14:05.2200419Z", "EventId": 0, "LogLevel": "Error", "Category": "Shop.Documents.ShopWriter",
    "Message": "Store of Shop.Documents.CoffeeShop 17 failed", "Exception": "JasperFx.ConcurrencyException: Optimistic concurrency check failed for Shop.Documents.CoffeeShop #17\n   at Marten.Internal.Sessions.DocumentSessionBase.SaveChangesAsync(CancellationToken token)",
    "State": {"Message": "Store of Shop.Documents.CoffeeShop 17 failed", "{OriginalFormat}": "Store of {DocType} {Id} failed"}}), JFX + "src/JasperFx/ConcurrencyException.cs")
add("concurrency_conflict", J({"@t": "2026-11-23T11:15:31.6620388Z", "@mt": "Handling {Message} failed", "@l": "Error", "Message": "ApproveInvoice",
    "@x": "Marten.Exceptions.ConcurrentUpdateException: Write collision detected while commiting the transaction.\n ---> Npgsql.PostgresException (0x80004005): 40001: could not serialize access due to concurrent update\n   --- End of inner exception stack trace ---\n   at Marten.Internal.Sessions.DocumentSessionBase.SaveChangesAsync(CancellationToken token)",
    "SourceContext": "Billing.InvoiceHandlers"}), "JasperFx/marten@c921fa5dfdf7d540b5fe85d833831080c07c94d6 src/Marten/Exceptions/ConcurrentUpdateException.cs, src/Marten/Exceptions/MartenExceptionTransformer.cs; " + NPG + "src/Npgsql/PostgresException.cs")
red = "Detail redacted as it may contain sensitive data. Specify 'Include Error Detail' in the connection string to include this information."
add("deadlock", J({"Timestamp": "2026-11-23T11:17:09.3391102Z", "EventId": 0, "LogLevel": "Error", "Category": "Ledger.Transfers.TransferWorker",
    "Message": "Transfer 5531 failed", "Exception": f"Npgsql.PostgresException (0x80004005): 40P01: deadlock detected\n\nDETAIL: {red}\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)\n   at Npgsql.NpgsqlDataReader.NextResult(Boolean async, Boolean isConsuming, CancellationToken cancellationToken)",
    "State": {"Message": "Transfer 5531 failed", "TransferId": 5531, "{OriginalFormat}": "Transfer {TransferId} failed"}}),
    NPG + "src/Npgsql/PostgresException.cs (GetMessage), src/Npgsql/BackendMessages/ErrorOrNoticeMessage.cs (redacted detail)")
add("deadlock", J({"@t": "2026-11-23T11:18:44.9120051Z", "@mt": "Claiming job {JobId} failed", "@l": "Warning", "JobId": 771,
    "@x": "Npgsql.PostgresException (0x80004005): 55P03: canceling statement due to lock timeout\n   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)",
    "SourceContext": "Jobs.Worker.JobClaimer"}), NPG + "src/Npgsql/PostgresException.cs (GetMessage)")
add("deadlock", J({"@t": "2026-11-23T11:19:58.0012311Z", "@mt": "An exception occurred in the database while saving changes for context type '{contextType}'.{newline}{error}", "@l": "Error",
    "contextType": "Ledger.Data.LedgerContext", "newline": "\n",
    "error": "Microsoft.EntityFrameworkCore.DbUpdateException: An error occurred while saving the entity changes. See the inner exception for details.\n ---> Npgsql.PostgresException (0x80004005): 40P01: deadlock detected\n\nDETAIL: " + red,
    "EventId": {"Id": 10000, "Name": "Microsoft.EntityFrameworkCore.Update.SaveChangesFailed"}, "SourceContext": "Microsoft.EntityFrameworkCore.Update"}),
    EFC + "src/EFCore/Properties/CoreStrings.resx (LogExceptionDuringSaveChanges), src/EFCore/Diagnostics/CoreEventId.cs; " + NPG + "src/Npgsql/PostgresException.cs")
# .NET benign
add("benign", J({"@t": "2026-11-23T11:20:01.1180043Z", "@mt": "Append to stream - {streamName}@{expectedState}.", "@l": "Debug", "streamName": "order-42", "expectedState": "5",
    "SourceContext": "KurrentDB.Client.KurrentDBClient"}), "kurrent-io/EventStore-Client-Dotnet@ad441a6c985e8c1aa488d7293e286d888b58ba09 src/KurrentDB.Client/Streams/KurrentDBClient.Append.cs")
add("benign", J({"Timestamp": "2026-11-23T11:21:07.5518120Z", "EventId": 2001, "LogLevel": "Debug", "Category": "Npgsql.Command",
    "Message": "Command execution completed (duration=3ms): UPDATE orders SET status = $1, version = version + 1 WHERE id = $2 AND version = $3",
    "State": {"Message": "Command execution completed (duration=3ms): UPDATE orders SET status = $1, version = version + 1 WHERE id = $2 AND version = $3", "DurationMs": 3, "CommandText": "UPDATE orders SET status = $1, version = version + 1 WHERE id = $2 AND version = $3", "{OriginalFormat}": "Command execution completed (duration={DurationMs}ms): {CommandText}"}}),
    NPG + "src/Npgsql/LogMessages.cs")

# ---------------- Rust: EventCore (tracing-subscriber JSON), sqlx ----------------
add("concurrency_conflict", J({"timestamp": "2026-11-23T11:30:02.118374Z", "level": "WARN", "fields": {"message": "[postgres.version_conflict] optimistic concurrency check failed", "stream": "account-42", "expected": 3, "actual": 4},
    "target": "eventcore_postgres", "span": {"name": "postgres.append_events"}}), EC + "eventcore-postgres/src/lib.rs")
add("concurrency_conflict", J({"timestamp": "2026-11-23T11:30:02.119020Z", "level": "WARN", "fields": {"message": "retrying command after concurrency conflict", "attempt": 1, "delay_ms": 10, "streams": "[StreamId(\"account-42\"), StreamId(\"account-7\")]"},
    "target": "eventcore::execute_pipeline"}), EC + "eventcore/src/execute_pipeline.rs")
add("concurrency_conflict", J({"timestamp": "2026-11-23T11:30:02.412771Z", "level": "ERROR", "fields": {"message": "transfer command failed", "error": "concurrency conflict after 5 retry attempts"},
    "target": "bank_api::handlers"}), EC + "eventcore-types/src/errors.rs (CommandError::ConcurrencyError)")
add("concurrency_conflict", J({"timestamp": "2026-11-23T11:31:15.006112Z", "level": "ERROR", "fields": {"message": "append rejected", "error": "version conflict on stream account-42: expected version 3, found 4"},
    "target": "bank_api::import"}), EC + "eventcore-types/src/store.rs (EventStoreError::VersionConflict)")
add("concurrency_conflict", J({"timestamp": "2026-11-23T11:32:40.771205Z", "level": "ERROR", "fields": {"message": "settle batch failed", "error": "error returned from database: could not serialize access due to concurrent update", "batch": 7781},
    "target": "ledger::settlement"}), "launchbadge/sqlx@9d6bf6629f172d32fe1e6cafe8071439d213fc75 sqlx-core/src/error.rs, sqlx-postgres/src/error.rs")
add("deadlock", J({"timestamp": "2026-11-23T11:33:05.300918Z", "level": "ERROR", "fields": {"message": "transfer failed", "error": "error returned from database: deadlock detected"},
    "target": "ledger::transfers"}), "launchbadge/sqlx@9d6bf6629f172d32fe1e6cafe8071439d213fc75 sqlx-core/src/error.rs, sqlx-postgres/src/error.rs")
add("benign", J({"timestamp": "2026-11-23T11:34:00.001002Z", "level": "INFO", "fields": {"message": "[postgres.append_events] appending events to postgres", "stream_count": 2, "event_count": 2},
    "target": "eventcore_postgres", "span": {"name": "postgres.append_events"}}), EC + "eventcore-postgres/src/lib.rs")
add("benign", J({"timestamp": "2026-11-23T11:34:00.004517Z", "level": "INFO", "fields": {"message": "command execution succeeded"}, "target": "eventcore::execute_pipeline",
    "span": {"attempt": 2, "name": "execute"}}), EC + "eventcore/src/execute_pipeline.rs")

# ---------------- Go: pgx, lib/pq, go-sql-driver/mysql ----------------
PGX = "jackc/pgx@728cefa8008f2b06aeca071cd3239862aa80f9af pgconn/errors.go (PgError.Error), tracelog/tracelog.go"
add("concurrency_conflict", J({"level": "error", "ts": 1795431122.4811, "caller": "tracelog/tracelog.go:191", "msg": "Query", "sql": "update accounts set balance = balance + $1 where id = $2", "args": [250, 42],
    "err": "ERROR: could not serialize access due to concurrent update (SQLSTATE 40001)", "time": 0.0123, "pid": 31877}), PGX)
add("deadlock", J({"level": "error", "ts": 1795431180.0057, "caller": "tracelog/tracelog.go:191", "msg": "Query", "sql": "update accounts set balance = balance - $1 where id = $2", "args": [100, 7],
    "err": "ERROR: deadlock detected (SQLSTATE 40P01)", "time": 1.0021, "pid": 31879}), PGX)
add("deadlock", J({"time": "2026-11-23T11:40:12.551Z", "level": "WARN", "msg": "claim job", "job_id": 99120, "error": "ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)"}),
    "jackc/pgx@728cefa8008f2b06aeca071cd3239862aa80f9af pgconn/errors.go (PgError.Error)")
add("benign", J({"level": "info", "ts": 1795431300.1002, "caller": "tracelog/tracelog.go:197", "msg": "Query", "sql": "update orders set status = $1, version = version + 1 where id = $2 and version = $3", "args": ["shipped", 42, 7],
    "time": 0.0021, "commandTag": "UPDATE 1", "pid": 31877}), "jackc/pgx@728cefa8008f2b06aeca071cd3239862aa80f9af tracelog/tracelog.go")
add("concurrency_conflict", J({"time": "2026-11-23T11:41:30.018Z", "level": "ERROR", "msg": "transfer failed", "account": "acc-42", "error": "pq: could not serialize access due to read/write dependencies among transactions"}),
    "lib/pq@2a217b94f5ccd3de31aec4152a541b9ff64bed05 (v1.10.9) error.go")
add("deadlock", "2026/11/23 11:42:07 settle batch 7781: pq: deadlock detected", "lib/pq@2a217b94f5ccd3de31aec4152a541b9ff64bed05 (v1.10.9) error.go")
add("deadlock", 'time="2026-11-23T11:43:55Z" level=error msg="claim job failed" error="pq: could not obtain lock on row in relation \\"jobs\\" (55P03)" job=4412',
    "lib/pq@f4654a41a62bc974ea825de270c44f577721205e error.go")
add("deadlock", J({"level": "error", "ts": 1795431900.7731, "caller": "stock/reserve.go:61", "msg": "reserve stock failed", "sku": "A-1001",
    "error": "Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction"}), "go-sql-driver/mysql@416cd99d463949ca51faf4f84d674de2fc1aa54b errors.go (MySQLError.Error)")
add("deadlock", J({"time": "2026-11-23T11:46:20.902Z", "level": "ERROR", "msg": "invoice run aborted", "run": "2026-11",
    "error": "Error 1205 (HY000): Lock wait timeout exceeded; try restarting transaction"}), "go-sql-driver/mysql@416cd99d463949ca51faf4f84d674de2fc1aa54b errors.go (MySQLError.Error)")

# ---------------- Node: Prisma ----------------
add("concurrency_conflict", J({"level": 50, "time": 1795432011223, "pid": 1, "hostname": "wallet-6d5f", "err": {"type": "PrismaClientKnownRequestError",
    "message": "Transaction failed due to a write conflict or a deadlock. Please retry your transaction", "stack": "PrismaClientKnownRequestError: Transaction failed due to a write conflict or a deadlock. Please retry your transaction\n    at $n.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:121:7315)",
    "code": "P2034", "clientVersion": "6.16.2"}, "msg": "transfer failed"}),
    "prisma/prisma-engines@3dd25f3c2b8bf8085ebb20e6d745576a20775c98 libs/user-facing-errors/src/query_engine/mod.rs (P2034)", accept=["deadlock"])

# ---------------- more hard benign lines ----------------
SB3 = "captured: PostgreSQL 15.18, /tmp/tailwatch-capture/concurrency/scripts/pg_benign2.sh"
add("benign", pg_record("for update skip locked;"), SB3)
add("benign", pg_json("statement: select pg_advisory_unlock(4242);"), SB3)
CG = "kubernetes/client-go@32ce75a7d6bc6960fd048d3d1e3b34185418d8c8 tools/leaderelection/leaderelection.go"
add("benign", 'I1123 10:15:02.412345       1 leaderelection.go:258] "Attempting to acquire leader lease..." lock="orders/orders-projector-leader"', CG)
add("benign", 'I1123 10:15:04.997301       1 leaderelection.go:272] "Successfully acquired lease" lock="orders/orders-projector-leader"', CG)
add("benign", 'I1123 10:42:19.000812       1 leaderelection.go:350] "Conflict when releasing lease, retrying" lock="orders/orders-projector-leader"', CG)
SL = "lukas-krecan/ShedLock@2495b1406d85323b8deadbe75d7a5dd3e8b8e844 shedlock-core/src/main/java/net/javacrumbs/shedlock/core/DefaultLockingTaskExecutor.java"
add("benign", "2026-11-23T10:20:00.003Z DEBUG 1 --- [billing] [   scheduling-1] n.j.s.core.DefaultLockingTaskExecutor    : Not executing 'invoiceRun'. It's locked.", SL)
add("benign", "2026-11-23T10:20:00.011Z DEBUG 1 --- [billing] [   scheduling-1] n.j.s.core.DefaultLockingTaskExecutor    : Locked 'invoiceRun', lock will be held at most until 2026-11-23T10:29:00.011Z", SL)
add("benign", "2026-11-23T10:20:41.870Z DEBUG 1 --- [billing] [   scheduling-1] n.j.s.core.DefaultLockingTaskExecutor    : Task finished, lock 'invoiceRun' released", SL)
add("benign", J({"Timestamp": "2026-11-23T11:22:30.0119920Z", "EventId": 20101, "LogLevel": "Information", "Category": "Microsoft.EntityFrameworkCore.Database.Command",
    "Message": "Executed DbCommand (2ms) [Parameters=[@p1='?' (DbType = Int32), @p0='?', @p2='?' (DbType = Int32)], CommandType='Text', CommandTimeout='30']\nUPDATE \"Orders\" SET \"Status\" = @p0, \"Version\" = @p1\nWHERE \"Id\" = @p2 AND \"Version\" = @p3;",
    "State": {"elapsed": "2", "commandType": "Text", "commandTimeout": 30, "{OriginalFormat}": "Executed DbCommand ({elapsed}ms) [Parameters=[{parameters}], CommandType='{commandType}', CommandTimeout='{commandTimeout}']{newLine}{commandText}"}}),
    EFC + "src/EFCore.Relational/Properties/RelationalStrings.resx (LogExecutedCommand), src/EFCore.Relational/Diagnostics/RelationalEventId.cs")
add("benign", "2026-11-23 10:31:12.004  INFO 1 --- [ axon-retry-0] o.a.c.callbacks.LoggingCallback          : Command executed successfully: com.example.orders.ShipOrderCommand",
    AX + "messaging/src/main/java/org/axonframework/commandhandling/callbacks/LoggingCallback.java")

# ---------------- Ruby on Rails, MySQL NOWAIT ----------------
add("concurrency_conflict", "E, [2026-11-23T12:01:02.345678 #12] ERROR -- : Order 42 update failed: Attempted to update a stale object: Order.",
    "rails/rails@d7d5a4bddf6f7ae6cd5da07f148b8f96af7977b3 activerecord/lib/active_record/errors.rb (StaleObjectError); Ruby Logger::Formatter line format")
add("deadlock", J({"level": "error", "ts": 1795432400.0912, "caller": "jobs/claim.go:44", "msg": "claim job failed", "job_id": 4413,
    "error": "Error 3572 (HY000): Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set."}),
    "go-sql-driver/mysql@416cd99d463949ca51faf4f84d674de2fc1aa54b errors.go (MySQLError.Error); mysql/mysql-connector-j@cf2917ea44ae2e43a4514a33771035aa99de73bf src/main/core-api/java/com/mysql/cj/exceptions/MysqlErrorNumbers.java (ER_LOCK_NOWAIT 3572)")
