import json
E = []
def add(cat, line, source, accept=None):
    e = {"category": cat, "line": line, "source": source}
    if accept: e["accept"] = accept
    E.append(e)
j = lambda o: json.dumps(o, separators=(",", ":"), ensure_ascii=False)

EC_OLD = "jwilger/eventcore@5d53bdf69c736febed04570045797d5ff87f0a3c "
EC = "jwilger/eventcore@68c38b469b3b8b300cf4ca6400cb9abe8187bce9 "
ES = "EventStore/EventStore@3f1acb7e46d5bffd2bbba6c628c256cad8074373 "
ES_OLD = "EventStore/EventStore@0a579c54262d03ed1d399c630a6ccc3997eb4cdd "
KDB = "kurrent-io/KurrentDB-Client-Dotnet@4ff0ba9b3b4f1d48ceb9932bbcc67292d3f91134 "
EVU = "Eventuous/eventuous@b2c610f29ae58267e9c647f2c30fb2dd3647ca19 "
MAR = "JasperFx/marten@a63b4b48a02f390d7875f34b1029fc0f7ea113fe "
MAR6 = "JasperFx/marten@b419d29df3193c2d39cfe97242c6b11b4e39b8fd "
MARH = "JasperFx/marten@c921fa5dfdf7d540b5fe85d833831080c07c94d6 "
JFX = "JasperFx/jasperfx@4ee0695e19e65904ffacbe09881208dbe6799eef "
AX = "AxonFramework/AxonFramework@axon-4.9.4 "
AK = "akka/akka@9892c5e415e41599db095469c5963f155a0d736d "
AKP = "akka/akka-projection@471d3b690896162a7cffd5388fa927e66fbefca2 "
R2 = "akka/akka-persistence-r2dbc@753285c7fe620beae7b2b2f06f82084310661d68 "

# ---------------- projection_lag ----------------
P = "projection_lag"
add(P, j({"timestamp":"2026-03-14T09:12:44.118204Z","level":"WARN","fields":{"message":"High projection lag detected","trace_id":"0190f3b2-7c1e-7a4e-9d0b-3f6a1c2e8b71","projection_name":"account_balances","lag_ms":61877},"target":"eventcore::monitoring::tracing","span":{"lag_duration":"61.877s","name":"record_lag"}}),
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(P, j({"timestamp":"2026-03-14T11:40:02.950611Z","level":"WARN","fields":{"message":"High projection lag detected","trace_id":"0190f4d1-22a9-7b03-8c61-5d2e0f9a7c44","projection_name":"order_history","lag_ms":2412950},"target":"eventcore::monitoring::tracing"}),
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(P, "2026-03-15T02:03:11.402877Z  WARN record_lag{lag_duration=45.21s}: eventcore::monitoring::tracing: High projection lag detected trace_id=0190f8aa-0d41-7e2c-a5b9-11c4d7e3f802 projection_name=inventory_levels lag_ms=45210",
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(P, j({"timestamp":"2026-03-14T09:13:05.771002Z","level":"WARN","fields":{"message":"High subscription lag detected","subscription":"orders-read-model","lag_ms":184220},"target":"eventcore::monitoring::metrics"}),
    EC_OLD + "eventcore/src/monitoring/metrics.rs")
add(P, "2026-03-16T18:22:40.004118Z  WARN eventcore::monitoring::metrics: High subscription lag detected subscription=\"customer-notifications\" lag_ms=75012",
    EC_OLD + "eventcore/src/monitoring/metrics.rs")
add(P, j({"timestamp":"2026-03-14T09:15:00.000731Z","level":"WARN","fields":{"message":"Projection is degraded, lag: 61877ms, errors: 0","projection":"account_balances"},"target":"ledger_api::health"}),
    EC_OLD + "eventcore/src/monitoring/health.rs (HealthCheckResult message, logged by the service's health task)")
add(P, j({"timestamp":"2026-03-14T11:45:00.001220Z","level":"ERROR","fields":{"message":"Projection is unhealthy, lag: 1843000ms, errors: 14","projection":"order_history"},"target":"ledger_api::health"}),
    EC_OLD + "eventcore/src/monitoring/health.rs (HealthCheckResult message, logged by the service's health task)")
add(P, j({"timestamp":"2026-05-02T07:31:19.552310Z","level":"WARN","fields":{"message":"Poll failure reading events","projector":"account-summary","error":"read_stream operation failed","consecutive_failures":3,"max_failures":5},"target":"eventcore::projection_pipeline"}),
    EC + "eventcore/src/projection_pipeline.rs")
add(P, j({"timestamp":"2026-03-14T09:20:12.310045Z","level":"WARN","fields":{"message":"Projection processing failed","trace_id":"0190f3c9-5e18-7f6d-b2a0-8d4c1e7a9f13","projection_name":"account_balances","duration_ms":30004},"target":"eventcore::monitoring::tracing"}),
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(P, "2026-03-17T04:11:52.009871Z ERROR eventcore::projection_runner: Max retries exceeded for event processing: Failed to process event 0190f9b3-61aa-7c52-9e0d-2b8f4a6c1d57: projection store unavailable",
    EC_OLD + "eventcore/src/projection_runner.rs")
# EventStoreDB server
add(P, "[    1,25,08:14:03.512,DBG] Enumerator+AllSubscription     Subscription 3c9b5f8e-1d2a-4e7b-9f60-a1b2c3d4e5f6 to $all fell behind at checkpoint C:1843020416/P:1843020416.",
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.AllSubscription.cs (console template in src/EventStore.Core/Log/EventStoreLoggerConfiguration.cs)")
add(P, "[    1,31,11:02:47.090,DBG] Enumerator+StreamSubscription  Subscription 7a41c2d9-88e0-4b5f-a6d1-0f9e8c7b6a54 to order-7731 fell behind at checkpoint 1,842.",
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.StreamSubscription.cs")
add(P, j({"@t":"2026-03-14T08:14:03.5120331+00:00","@mt":"Subscription {subscriptionId} to $all:{eventFilter} fell behind at checkpoint {position}.","@l":"Debug","subscriptionId":"e2d4a6b8-0c1e-4f3a-9b5d-7e6f8a9b0c1d","eventFilter":"EventTypeFilter(Regex: ^Order)","position":"C:1843102208/P:1843102208","SourceContext":"EventStore.Core.Services.Transport.Enumerators.Enumerator+AllSubscriptionFiltered","ProcessId":1,"ThreadId":27}),
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.AllSubscriptionFiltered.cs")
add(P, "[    1,14,10:02:11.004,ERR] ManagedProjection              The 'order-summary' projection faulted due to 'The projection exceeded its execution timeout of 250ms'",
    ES + "src/EventStore.Projections.Core/Services/Management/ManagedProjection.cs")
# KurrentDB / EventStoreDB .NET client
add(P, j({"Timestamp":"2026-03-14T09:30:41.2231187Z","EventId":0,"LogLevel":"Error","Category":"KurrentDB.Client.KurrentDBClient","Message":"Subscription 5f0c2a9e-3b7d-4c1e-8a64-d29b0e7f1c35 was dropped because the subscriber made an error.","Exception":"System.InvalidOperationException: Sequence contains no elements\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\n   at Ledger.Projections.AccountBalances.Apply(ResolvedEvent e) in /src/Ledger.Projections/AccountBalances.cs:line 57","State":{"Message":"Subscription 5f0c2a9e-3b7d-4c1e-8a64-d29b0e7f1c35 was dropped because the subscriber made an error.","subscriptionId":"5f0c2a9e-3b7d-4c1e-8a64-d29b0e7f1c35","{OriginalFormat}":"Subscription {subscriptionId} was dropped because the subscriber made an error."}}),
    KDB + "src/KurrentDB.Client/Streams/StreamSubscription.cs")
add(P, j({"Timestamp":"2026-03-14T09:31:02.0045512Z","EventId":0,"LogLevel":"Error","Category":"KurrentDB.Client.KurrentDBClient","Message":"Subscription 9d1e7b3c-2a4f-4e8d-b6c0-13579bdf2468 was dropped because an error occurred on the server.","Exception":"Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Error starting gRPC call. HttpRequestException: Connection refused (esdb-0:2113)\")","State":{"{OriginalFormat}":"Subscription {subscriptionId} was dropped because an error occurred on the server."}}),
    KDB + "src/KurrentDB.Client/Streams/StreamSubscription.cs")
add(P, j({"@t":"2026-03-14T09:33:15.6610032Z","@mt":"Persistent Subscription {subscriptionId} was dropped because an error occurred on the server.","@l":"Error","@x":"Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Server is not the leader\")","subscriptionId":"orders::billing-projector","SourceContext":"KurrentDB.Client.KurrentDBPersistentSubscriptionsClient"}),
    KDB + "src/KurrentDB.Client/PersistentSubscriptions/PersistentSubscription.cs")
add(P, j({"@t":"2026-03-14T09:33:16.0021874Z","@mt":"Persistent Subscription {subscriptionId} was unexpectedly terminated.","@l":"Error","subscriptionId":"orders::billing-projector","SourceContext":"KurrentDB.Client.KurrentDBPersistentSubscriptionsClient"}),
    KDB + "src/KurrentDB.Client/PersistentSubscriptions/PersistentSubscription.cs")
# Legacy EventStore.ClientAPI (TCP)
add(P, "[05,08:12:44.123,DEBUG] Catch-up Subscription order-history to <all>: dropping subscription, reason: ProcessingQueueOverflow .",
    ES_OLD + "src/EventStore.ClientAPI/EventStoreCatchUpSubscription.cs (ConsoleLogger format in src/EventStore.ClientAPI/Common/Log/ConsoleLogger.cs)")
add(P, "[09,14:03:27.551,DEBUG] Subscription {5e1c7a3b-9f24-4d8e-a0b6-c2d4e6f8a0b2} to <all>: closing subscription, reason: ProcessingQueueOverflow, exception: System.Exception: client buffer too big...",
    ES_OLD + "src/EventStore.ClientAPI/ClientOperations/SubscriptionOperation.cs")
add(P, "[11,02:40:09.870,DEBUG] Catch-up Subscription billing-projector to invoices-2026: dropping subscription, reason: ConnectionClosed .",
    ES_OLD + "src/EventStore.ClientAPI/EventStoreCatchUpSubscription.cs")
# Eventuous
add(P, j({"Timestamp":"2026-04-09T13:05:27.7741203Z","EventId":0,"LogLevel":"Warning","Category":"Eventuous.Subscription","Message":"[orders-projections] Dropped: ServerError","Exception":"Grpc.Core.RpcException: Status(StatusCode=\"Unavailable\", Detail=\"Error reading next message. IOException: The request was aborted.\")","State":{"Reason":"ServerError","{OriginalFormat}":"[orders-projections] Dropped: {Reason}"}}),
    EVU + "src/Core/src/Eventuous.Subscriptions/Logging/SubscriptionLogging.cs (prefix from Logging/InternalLogger.cs)")
add(P, j({"@t":"2026-04-09T13:05:29.7790114Z","@mt":"[orders-projections] Will resubscribe after 00:00:02","@l":"Warning","SourceContext":"Eventuous.Subscription"}),
    EVU + "src/Core/src/Eventuous.Subscriptions/Logging/SubscriptionLogging.cs")
add(P, j({"@t":"2026-04-09T13:05:31.8120558Z","@mt":"[orders-projections] Failed to resubscribe","@l":"Error","@x":"Grpc.Core.RpcException: Status(StatusCode=\"DeadlineExceeded\", Detail=\"Deadline Exceeded\")","SourceContext":"Eventuous.Subscription"}),
    EVU + "src/Core/src/Eventuous.Subscriptions/Logging/SubscriptionLogging.cs")
# Marten async daemon
add(P, j({"Timestamp":"2026-02-20T16:44:10.1150021Z","EventId":0,"LogLevel":"Information","Category":"Marten.Events.Daemon.HighWater.HighWaterAgent","Message":"High Water agent is stale at 1843022 for database Marten","State":{"CurrentMark":1843022,"Name":"Marten","{OriginalFormat}":"High Water agent is stale at {CurrentMark} for database {Name}"}}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(P, j({"@t":"2026-02-20T16:44:13.1162874Z","@mt":"High Water agent is stale after threshold of {DelayInSeconds} seconds, skipping gap to events marked after {SafeHarborTime} for database {Name}","@l":"Information","DelayInSeconds":3,"SafeHarborTime":"2026-02-20T16:44:13.1150021+00:00","Name":"Marten","SourceContext":"Marten.Events.Daemon.HighWater.HighWaterAgent"}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(P, j({"Timestamp":"2026-02-21T03:10:55.0004411Z","EventId":0,"LogLevel":"Error","Category":"Marten.Events.Daemon.ProjectionDaemon","Message":"Error trying to rebuild projection Invoices:All","Exception":"System.TimeoutException: The operation has timed out.\n   at JasperFx.Core.TaskExtensions.TimeoutAfterAsync(Task task, Int32 millisecondsTimeout)\n   at Marten.Events.Daemon.Internals.SubscriptionAgent.ReplayAsync(SubscriptionExecutionRequest request, Int64 highWaterMark, TimeSpan timeout)","State":{"Name":"Invoices:All","{OriginalFormat}":"Error trying to rebuild projection {Name}"}}),
    MAR6 + "src/Marten/Events/Daemon/Internals/SubscriptionAgent.cs")
add(P, j({"@t":"2026-02-21T03:12:07.4410930Z","@mt":"Error trying to build and apply changes to event subscription {Name} from {Floor} to {Ceiling}","@l":"Error","@x":"Npgsql.PostgresException (0x80004005): 57014: canceling statement due to statement timeout","Name":"Invoices:All","Floor":1842000,"Ceiling":1843000,"SourceContext":"Marten.Events.Daemon.Internals.GroupedProjectionExecution"}),
    MAR6 + "src/Marten/Events/Daemon/Internals/GroupedProjectionExecution.cs", accept=["timeout"])
add(P, j({"Timestamp":"2026-02-21T03:14:20.9021006Z","EventId":0,"LogLevel":"Error","Category":"Marten.Events.Daemon.HighWater.HighWaterAgent","Message":"HighWaterAgent polling loop was faulted for database Marten","Exception":"Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n ---> System.TimeoutException: Timeout during reading attempt","State":{"Name":"Marten","{OriginalFormat}":"HighWaterAgent polling loop was faulted for database {Name}"}}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(P, j({"@t":"2026-02-21T03:14:21.0117736Z","@mt":"Failed while trying to detect high water statistics for database {Name}","@l":"Error","@x":"Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.3.7:5432","Name":"Marten","SourceContext":"Marten.Events.Daemon.HighWater.HighWaterAgent"}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(P, j({"Timestamp":"2026-02-21T03:15:42.3319004Z","EventId":0,"LogLevel":"Error","Category":"Marten.Events.Daemon.Internals.GroupedProjectionExecution","Message":"Failure in shard 'Invoices:All' trying to execute an update batch for Event range of 'Invoices:All', 1842000 to 1843000","Exception":"Npgsql.PostgresException (0x80004005): 40001: could not serialize access due to concurrent update","State":{"{OriginalFormat}":"Failure in shard '{ProjectionShardIdentity}' trying to execute an update batch for {Range}"}}),
    MAR6 + "src/Marten/Events/Daemon/Internals/GroupedProjectionExecution.cs (range text from Internals/EventRange.cs)", accept=["concurrency_conflict"])
add(P, j({"@t":"2026-08-21T10:02:44.0180055Z","@mt":"Exception escaped the projection execution block for shard {Name}","@l":"Error","@x":"System.ObjectDisposedException: Cannot access a disposed object.","Name":"Invoices:All","SourceContext":"JasperFx.Events.Daemon.GroupedProjectionExecution"}),
    JFX + "src/JasperFx.Events/Daemon/GroupedProjectionExecution.cs")
# Axon
add(P, j({"@timestamp":"2026-03-14T09:40:12.118+00:00","@version":"1","message":"Releasing claim on token and preparing for retry in 2s","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"EventProcessor[order-projection]-0","level":"WARN","level_value":30000}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(P, "2026-03-14 09:41:00.411  WARN 1 --- [ojection]-0] o.a.e.TrackingEventProcessor             : Releasing claim on token and preparing for retry in 4s",
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(P, j({"@timestamp":"2026-03-14T09:40:12.117+00:00","@version":"1","message":"Error occurred. Starting retry mode.","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"EventProcessor[order-projection]-0","level":"WARN","level_value":30000,"stack_trace":"org.axonframework.eventhandling.EventProcessingException: An exception occurred while processing an event\n\tat org.axonframework.eventhandling.AbstractEventProcessor.processInUnitOfWork(AbstractEventProcessor.java:175)\nCaused by: org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [update order_summary set total=? where id=?]; ERROR: canceling statement due to statement timeout\n"}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java", accept=["timeout"])
add(P, j({"@timestamp":"2026-03-14T09:42:30.004+00:00","@version":"1","message":"Fetch Segments for Processor 'order-projection' failed: Could not open JDBC Connection for transaction. Preparing for retry in 2s","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"WorkerLauncher[order-projection]","level":"WARN","level_value":30000,"stack_trace":"org.springframework.transaction.CannotCreateTransactionException: Could not open JDBC Connection for transaction\n\tat org.springframework.jdbc.datasource.DataSourceTransactionManager.doBegin(DataSourceTransactionManager.java:309)\n"}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(P, j({"@timestamp":"2026-03-14T09:44:51.870+00:00","@version":"1","message":"Processing loop ended due to uncaught exception. Pausing processor in Error State.","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"EventProcessor[inventory-projection]-0","level":"ERROR","level_value":40000,"stack_trace":"java.lang.IllegalStateException: Unable to find segment id 3\n\tat org.axonframework.eventhandling.TrackingEventProcessor.processingLoop(TrackingEventProcessor.java:402)\n"}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(P, "2026-03-14 09:46:02.338 ERROR 1 --- [der-projection]] o.a.e.TrackingEventProcessor             : An unrecoverable error has occurred wile attempting to claim a token for segment: 0. Shutting down processor [order-projection].",
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(P, j({"@timestamp":"2026-03-14T10:01:17.502+00:00","@version":"1","message":"Error while processing batch in Work Package [2]-[billing-projection]. Aborting Work Package...","logger_name":"org.axonframework.eventhandling.pooled.WorkPackage","thread_name":"WorkPackage[billing-projection]-4","level":"WARN","level_value":30000}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/pooled/WorkPackage.java")
add(P, j({"@timestamp":"2026-03-14T10:01:18.020+00:00","@version":"1","message":"Exception occurred while Processor [billing-projection] was coordinating the work packages.","logger_name":"org.axonframework.eventhandling.pooled.Coordinator","thread_name":"Coordinator[billing-projection]-0","level":"WARN","level_value":30000,"stack_trace":"org.axonframework.eventsourcing.eventstore.EventStoreException: An event storage engine exception occurred\n"}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/pooled/Coordinator.java")
# Akka Projections
add(P, j({"@timestamp":"2026-03-14T10:20:33.812Z","@version":"1","message":"[orders-projection-0-255] Failed to process envelope with offset [Sequence(1843)]. Projection will stop as defined by recovery strategy.","logger_name":"akka.projection.internal.HandlerRecoveryImpl","thread_name":"ledger-akka.actor.default-dispatcher-12","level":"ERROR","level_value":40000,"stack_trace":"java.lang.IllegalArgumentException: unknown account a-17\n\tat ledger.OrdersHandler.process(OrdersHandler.scala:41)\n"}),
    AKP + "akka-projection-core/src/main/scala/akka/projection/internal/HandlerRecoveryImpl.scala")
add(P, "[2026-03-14 10:21:09,114] [ERROR] [akka.projection.internal.HandlerRecoveryImpl] [] [ledger-akka.actor.default-dispatcher-7] - ProjectionId(orders-projection, 0-255) Failed to process envelopes with offsets from [Sequence(1844)] to [Sequence(1850)] after [4] attempts. Projection will stop as defined by recovery strategy.",
    AKP + "akka-projection-core/src/main/scala/akka/projection/internal/HandlerRecoveryImpl.scala")

# ---------------- event_store_latency ----------------
L = "event_store_latency"
add(L, j({"timestamp":"2026-05-02T07:12:09.501112Z","level":"WARN","fields":{"message":"High latency event store operation","operation":"read_stream","duration_ms":2400,"success":True},"target":"ledger_api::store_monitor"}),
    EC + "docs/manual/07-operations/04-troubleshooting.md (EventStoreMonitor)")
add(L, j({"timestamp":"2026-05-02T07:14:40.880034Z","level":"WARN","fields":{"message":"High latency event store operation","operation":"append_events","duration_ms":8423,"success":False},"target":"ledger_api::store_monitor"}),
    EC + "docs/manual/07-operations/04-troubleshooting.md (EventStoreMonitor)")
add(L, j({"timestamp":"2026-05-02T07:20:13.004471Z","level":"ERROR","fields":{"max_retries":4,"streams":"[StreamId(\"account-17\"), StreamId(\"account-93\")]"},"target":"eventcore::execute_pipeline"}),
    EC + "eventcore/src/execute_pipeline.rs (error! with fields only, no message)", accept=["concurrency_conflict"])
add(L, "2026-05-02T07:20:13.004471Z ERROR eventcore::execute_pipeline: max_retries=4 streams=[StreamId(\"account-17\"), StreamId(\"account-93\")]",
    EC + "eventcore/src/execute_pipeline.rs (error! with fields only, fmt layer)", accept=["concurrency_conflict"])
add(L, j({"timestamp":"2026-05-02T07:20:13.005210Z","level":"ERROR","fields":{"message":"Command failed","total_duration_ms":1480,"error":"concurrency conflict after 4 retry attempts"},"target":"ledger_api::commands"}),
    EC + "docs/manual/07-operations/04-troubleshooting.md (Command failed, total_duration_ms) + eventcore-types/src/errors.rs (error text)", accept=["concurrency_conflict"])
add(L, j({"timestamp":"2026-05-02T07:31:44.930015Z","level":"ERROR","fields":{"message":"Command failed","total_duration_ms":30412,"error":"event store error: append_events operation failed"},"target":"ledger_api::commands"}),
    EC + "docs/manual/07-operations/04-troubleshooting.md + eventcore-types/src/errors.rs, eventcore-types/src/store.rs (error text)", accept=["timeout"])
add(L, j({"timestamp":"2026-03-14T09:50:07.330471Z","level":"WARN","fields":{"message":"All retry attempts exhausted"},"target":"eventcore::executor"}),
    EC_OLD + "eventcore/src/executor.rs")
add(L, j({"timestamp":"2026-03-14T09:51:20.118009Z","level":"WARN","fields":{"message":"EventStore read_streams operation timed out after 5s"},"target":"eventcore::executor"}),
    EC_OLD + "eventcore/src/executor.rs", accept=["timeout"])
add(L, "2026-03-14T09:51:44.640212Z  WARN eventcore::executor: EventStore write_events_multi operation timed out after 10s",
    EC_OLD + "eventcore/src/executor.rs", accept=["timeout"])
# EventStoreDB server
add(L, "[    1,18,09:12:44.118,DBG] QueuedHandlerMRES              SLOW QUEUE MSG [StorageWriterQueue]: WritePrepares - 536ms. Q: 0/1.",
    ES_OLD + "src/EventStore.Core/Bus/QueuedHandlerMRES.cs")
add(L, "[    1,18,09:12:51.902,ERR] QueuedHandlerMRES              ---!!! VERY SLOW QUEUE MSG [StorageWriterQueue]: WritePrepares - 7412ms. Q: 0/3.",
    ES_OLD + "src/EventStore.Core/Bus/QueuedHandlerMRES.cs")
add(L, j({"@t":"2026-03-14T09:13:02.4471002+00:00","@mt":"SLOW QUEUE MSG [{queue}]: {message} - {elapsed}ms. Q: {prevQueueCount}/{curQueueCount}. {messageDetail}.","@l":"Debug","queue":"StorageReaderQueue #3","message":"ReadStreamEventsForward","elapsed":1208,"prevQueueCount":14,"curQueueCount":22,"messageDetail":"ReadStreamEventsForward","SourceContext":"EventStore.Core.Bus.QueuedHandlerThreadPool"}),
    ES + "src/EventStore.Core/Bus/QueuedHandlerThreadPool.cs")
add(L, "[    1, 9,09:14:20.660,DBG] InMemoryBus                    SLOW BUS MSG [MainBus]: WritePrepares - 318ms.",
    ES + "src/EventStore.Core/Bus/InMemoryBus.cs")
add(L, "[    1, 9,09:14:33.008,ERR] InMemoryBus                    ---!!! VERY SLOW BUS MSG [MainBus]: CommitAck - 9120ms.",
    ES + "src/EventStore.Core/Bus/InMemoryBus.cs")
# Akka Persistence
add(L, j({"@timestamp":"2026-03-14T10:30:02.511Z","@version":"1","message":"Failed to persist event type [ledger.Account$Deposited] with sequence number [1843] for persistenceId [Account|a-17].","logger_name":"akka.persistence.typed.internal.EventSourcedBehaviorImpl","thread_name":"ledger-akka.actor.default-dispatcher-9","level":"ERROR","level_value":40000,"stack_trace":"akka.pattern.CircuitBreaker$$anon$13: Circuit Breaker Timed out.\n"}),
    AK + "akka-persistence/src/main/scala/akka/persistence/Eventsourced.scala + akka-actor/src/main/scala/akka/pattern/CircuitBreaker.scala", accept=["timeout"])
add(L, "[ERROR] [03/14/2026 10:31:17.204] [ledger-akka.actor.default-dispatcher-19] [akka://ledger/system/sharding/Account/55/a-17] Persistence failure when replaying events for persistenceId [Account|a-17]. Last known sequence number [0]",
    AK + "akka-persistence/src/main/scala/akka/persistence/Eventsourced.scala")
add(L, j({"@timestamp":"2026-03-14T10:32:40.090Z","@version":"1","message":"Persistence failure when replaying events for persistenceId [Account|a-93]. Last known sequence number [1842]","logger_name":"akka.persistence.Eventsourced","thread_name":"ledger-akka.actor.default-dispatcher-4","level":"ERROR","level_value":40000,"stack_trace":"akka.persistence.RecoveryTimedOut: Recovery timed out, didn't get event within 30 seconds, highest sequence number seen 1842\n"}),
    AK + "akka-persistence/src/main/scala/akka/persistence/Eventsourced.scala", accept=["timeout"])
add(L, j({"@timestamp":"2026-03-14T10:35:11.600Z","@version":"1","message":"Supervisor RestartSupervisor saw failure: Exception during recovery. Last known sequence number [0]. PersistenceId [Account|a-17], phase [failure-from-journal] due to: Circuit Breaker Timed out.","logger_name":"akka.actor.typed.internal.RestartSupervisor","thread_name":"ledger-akka.actor.default-dispatcher-3","level":"ERROR","level_value":40000}),
    AK + "akka-persistence-typed/src/main/scala/akka/persistence/typed/internal/ReplayingEvents.scala + akka-actor-typed/src/main/scala/akka/actor/typed/internal/Supervision.scala", accept=["timeout"])
add(L, j({"@timestamp":"2026-03-14T10:36:49.018Z","@version":"1","message":"Supervisor RestartSupervisor saw failure: Exception during recovery. Last known sequence number [1842]. PersistenceId [Account|a-93], phase [retrieving-events] due to: Replay timed out, didn't get event within [30 seconds], highest sequence number seen [1842]","logger_name":"akka.actor.typed.internal.RestartSupervisor","thread_name":"ledger-akka.actor.default-dispatcher-11","level":"ERROR","level_value":40000}),
    AK + "akka-persistence-typed/src/main/scala/akka/persistence/typed/internal/ReplayingEvents.scala", accept=["timeout"])
# akka-persistence-r2dbc slow DB calls (log-db-calls-exceeding, default 300 ms, INFO)
add(L, "2026-03-14 10:40:02,118 INFO  akka.persistence.r2dbc.internal.R2dbcExecutor - insert [Account|a-17] - DB call completed in [1843772] µs",
    R2 + "core/src/main/scala/akka/persistence/r2dbc/internal/R2dbcExecutor.scala + internal/postgres/PostgresJournalDao.scala (prefix)")
add(L, j({"@timestamp":"2026-03-14T10:41:13.550Z","@version":"1","message":"batch insert [Account|a-17], [3] events - DB call completed in [6204113] µs","logger_name":"akka.persistence.r2dbc.internal.R2dbcExecutor","thread_name":"ledger-akka.persistence.r2dbc.journal-dispatcher-5","level":"INFO","level_value":20000}),
    R2 + "core/src/main/scala/akka/persistence/r2dbc/internal/R2dbcExecutor.scala + internal/postgres/PostgresJournalDao.scala (prefix)")
add(L, "2026-03-14 10:42:30,904 INFO  akka.persistence.r2dbc.internal.R2dbcExecutor - select eventsBySlices [0 - 255] - Selected [512] rows in [2210451] µs",
    R2 + "core/src/main/scala/akka/persistence/r2dbc/internal/R2dbcExecutor.scala + internal/postgres/PostgresQueryDao.scala (prefix)")
# Axon / Marten store reads
add(L, j({"@timestamp":"2026-03-14T10:50:09.300+00:00","@version":"1","message":"Failed to read events from the underlying event storage","logger_name":"org.axonframework.eventsourcing.eventstore.EmbeddedEventStore","thread_name":"EventStoreProducer-0","level":"ERROR","level_value":40000,"stack_trace":"org.axonframework.eventsourcing.eventstore.EventStoreException: An event storage engine exception occurred\nCaused by: org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout\n"}),
    AX + "eventsourcing/src/main/java/org/axonframework/eventsourcing/eventstore/EmbeddedEventStore.java", accept=["timeout"])
add(L, j({"@t":"2026-08-20T21:04:33.1102914Z","@mt":"Event loading timed out with {Strategy} strategy for range [{Floor}, {Ceiling}]. Falling back to {NextStrategy}. Consider enabling opts.Events.EnableEventTypeIndex for better performance.","@l":"Warning","Strategy":"Normal","Floor":1842000,"Ceiling":1843000,"NextStrategy":"SkipAhead","SourceContext":"Marten.Events.Daemon.Internals.EventLoader"}),
    MARH + "src/Marten/Events/Daemon/Internals/EventLoader.cs", accept=["timeout"])

# ---------------- benign ----------------
B = "benign"
add(B, j({"timestamp":"2026-03-14T09:10:02.004417Z","level":"DEBUG","fields":{"message":"Projection lag updated","trace_id":"0190f3b2-7c1e-7a4e-9d0b-3f6a1c2e8b71","projection_name":"account_balances","lag_ms":120},"target":"eventcore::monitoring::tracing"}),
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(B, j({"timestamp":"2026-03-14T09:10:00.000912Z","level":"INFO","fields":{"message":"Projection is healthy, lag: 12ms","projection":"account_balances"},"target":"ledger_api::health"}),
    EC_OLD + "eventcore/src/monitoring/health.rs")
add(B, j({"timestamp":"2026-05-02T07:11:58.220145Z","level":"INFO","fields":{"message":"Command completed successfully","total_duration_ms":14,"attempts":1},"target":"ledger_api::commands"}),
    EC + "docs/manual/07-operations/04-troubleshooting.md")
add(B, "2026-05-02T07:11:58.219903Z  INFO eventcore::execute_pipeline: command execution succeeded",
    EC + "eventcore/src/execute_pipeline.rs")
add(B, j({"timestamp":"2026-03-14T09:49:31.004417Z","level":"INFO","fields":{"message":"Command succeeded after retry","attempt":2},"target":"eventcore::executor"}),
    EC_OLD + "eventcore/src/executor.rs")
add(B, j({"timestamp":"2026-03-14T09:49:30.880031Z","level":"INFO","fields":{"message":"Retrying command execution after delay","retry_delay_ms":100,"next_attempt":2},"target":"eventcore::executor"}),
    EC_OLD + "eventcore/src/executor.rs")
add(B, j({"timestamp":"2026-03-14T09:10:04.330118Z","level":"DEBUG","fields":{"message":"Event store operation completed successfully","trace_id":"0190f3b3-0a11-7c9d-8e2f-4b6d8f0a2c4e","operation_type":"append_events","duration_ms":3,"stream_count":2,"event_count":2},"target":"eventcore::monitoring::tracing"}),
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(B, "2026-03-14T09:10:05.101772Z DEBUG eventcore::monitoring::tracing: Projection processing completed successfully trace_id=0190f3b3-1c2d-7e3f-9a4b-5c6d7e8f9a0b projection_name=account_balances duration_ms=4 events_processed=25",
    EC_OLD + "eventcore/src/monitoring/tracing.rs")
add(B, j({"timestamp":"2026-05-02T07:11:58.201004Z","level":"INFO","fields":{"message":"[postgres.read_stream] reading events from postgres","stream":"account-17"},"target":"eventcore_postgres","span":{"name":"postgres.read_stream","stream_id":"account-17"}}),
    EC + "eventcore-postgres/src/lib.rs")
add(B, "[    1,25,08:14:05.902,DBG] Enumerator+AllSubscription     Subscription 3c9b5f8e-1d2a-4e7b-9f60-a1b2c3d4e5f6 to $all caught up at checkpoint C:1843020416/P:1843020416.",
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.AllSubscription.cs")
add(B, "[    1,25,08:13:59.004,DBG] Enumerator+AllSubscription     Subscription 3c9b5f8e-1d2a-4e7b-9f60-a1b2c3d4e5f6 to $all has started at checkpoint Start",
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.AllSubscription.cs")
add(B, "[    1,25,08:14:03.513,VRB] Enumerator+AllSubscription     Subscription 3c9b5f8e-1d2a-4e7b-9f60-a1b2c3d4e5f6 to $all is catching up from checkpoint C:1843020416/P:1843020416",
    ES + "src/EventStore.Core/Services/Transport/Enumerators/Enumerator.AllSubscription.cs")
add(B, "[    1,12,07:59:41.220,INF] ClusterVNodeController         ========== [10.0.1.12:2113] IS CATCHING UP... LEADER IS [10.0.1.11:2113,{8a2c4e6f-0b1d-4f3a-9c5e-7d9f1b3d5f7a}]",
    ES + "src/EventStore.Core/Services/VNode/ClusterVNodeController.cs")
add(B, "[    1,33,08:02:10.771,INF] ArchiveCatchup                 Catch-up with the archive completed",
    ES + "src/EventStore.Core/Services/Archive/ArchiveCatchup/ArchiveCatchup.cs")
add(B, "[    1, 7,07:59:40.118,INF] FASTERNameIndexPersistence     StreamNameIndexPersistence caught up 1843 entries",
    ES + "src/EventStore.Core/LogV3/FASTER/FASTERNameIndexPersistence.cs")
add(B, j({"Timestamp":"2026-03-14T17:00:00.0121004Z","EventId":0,"LogLevel":"Information","Category":"KurrentDB.Client.KurrentDBClient","Message":"Subscription 5f0c2a9e-3b7d-4c1e-8a64-d29b0e7f1c35 was dropped because cancellation was requested by the client.","State":{"{OriginalFormat}":"Subscription {subscriptionId} was dropped because cancellation was requested by the client."}}),
    KDB + "src/KurrentDB.Client/Streams/StreamSubscription.cs")
add(B, j({"@t":"2026-03-14T09:30:00.1102004Z","@mt":"Subscription {subscriptionId} confirmed.","@l":"Debug","subscriptionId":"5f0c2a9e-3b7d-4c1e-8a64-d29b0e7f1c35","SourceContext":"KurrentDB.Client.KurrentDBClient"}),
    KDB + "src/KurrentDB.Client/Streams/StreamSubscription.cs")
add(B, "[05,08:12:40.007,DEBUG] Catch-up Subscription order-history to <all>: processing live events...",
    ES_OLD + "src/EventStore.ClientAPI/EventStoreCatchUpSubscription.cs")
add(B, "[05,08:12:39.551,DEBUG] Catch-up Subscription order-history to <all>: pulling events...",
    ES_OLD + "src/EventStore.ClientAPI/EventStoreCatchUpSubscription.cs")
add(B, j({"@t":"2026-04-09T13:05:33.9021774Z","@mt":"[orders-projections] Resubscribed","@l":"Information","SourceContext":"Eventuous.Subscription"}),
    EVU + "src/Core/src/Eventuous.Subscriptions/Logging/SubscriptionLogging.cs")
add(B, j({"Timestamp":"2026-04-09T13:00:01.0033120Z","EventId":0,"LogLevel":"Information","Category":"Eventuous.Subscription","Message":"[orders-projections] Loaded checkpoint orders-projections from MongoCheckpointStore: 1843022","State":{"{OriginalFormat}":"[orders-projections] Loaded checkpoint {CheckpointId} from {Store}: {Position}"}}),
    EVU + "src/Core/src/Eventuous.Subscriptions/Logging/CheckpointLogging.cs")
add(B, j({"Timestamp":"2026-04-09T13:10:00.4410021Z","EventId":0,"LogLevel":"Information","Category":"Eventuous.Subscriptions.SubscriptionHostedService","Message":"Stopped subscription orders-projections","State":{"SubscriptionId":"orders-projections","{OriginalFormat}":"Stopped subscription {SubscriptionId}"}}),
    EVU + "src/Core/src/Eventuous.Subscriptions/SubscriptionHostedService.cs")
add(B, j({"@t":"2026-02-20T16:44:30.2201005Z","@mt":"High Water mark detected at {CurrentMark} for database {Name}","@l":"Debug","CurrentMark":1843030,"Name":"Marten","SourceContext":"Marten.Events.Daemon.HighWater.HighWaterAgent"}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(B, j({"Timestamp":"2026-02-20T16:40:00.0100031Z","EventId":0,"LogLevel":"Information","Category":"Marten.Events.Daemon.HighWater.HighWaterAgent","Message":"Started HighWaterAgent for database Marten","State":{"Name":"Marten","{OriginalFormat}":"Started HighWaterAgent for database {Name}"}}),
    MAR + "src/Marten/Events/Daemon/HighWater/HighWaterAgent.cs")
add(B, j({"@t":"2026-02-20T16:44:31.0054412Z","@mt":"Shard '{ProjectionShardIdentity}': Executed updates for {Range}","@l":"Information","ProjectionShardIdentity":"Invoices:All","Range":"Event range of 'Invoices:All', 1842000 to 1843000","SourceContext":"Marten.Events.Daemon.Internals.GroupedProjectionExecution"}),
    MAR6 + "src/Marten/Events/Daemon/Internals/GroupedProjectionExecution.cs")
add(B, j({"Timestamp":"2026-02-21T03:00:00.5500412Z","EventId":0,"LogLevel":"Information","Category":"Marten.Events.Daemon.ProjectionDaemon","Message":"Starting to rebuild Projection Invoices@Marten","State":{"ProjectionName":"Invoices","DatabaseIdentifier":"Marten","{OriginalFormat}":"Starting to rebuild Projection {ProjectionName}@{DatabaseIdentifier}"}}),
    MAR6 + "src/Marten/Events/Daemon/ProjectionDaemon.Rebuilding.cs")
add(B, j({"@t":"2026-02-21T03:20:00.1200031Z","@mt":"Stopped projection agent {Name}","@l":"Information","Name":"Invoices:All","SourceContext":"Marten.Events.Daemon.Internals.SubscriptionAgent"}),
    MAR6 + "src/Marten/Events/Daemon/Internals/SubscriptionAgent.cs")
add(B, j({"@timestamp":"2026-03-14T09:39:00.004+00:00","@version":"1","message":"Worker assigned to segment Segment[0/1] for processing","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"WorkerLauncher[order-projection]","level":"INFO","level_value":20000}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(B, "2026-03-14 09:39:40.118  INFO 1 --- [ojection]-0] o.a.e.TrackingEventProcessor             : Released claim",
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(B, j({"@timestamp":"2026-03-14T09:39:00.120+00:00","@version":"1","message":"An error occurred while attempting to claim a token for segment: 1. Will retry later...","logger_name":"org.axonframework.eventhandling.TrackingEventProcessor","thread_name":"WorkerLauncher[order-projection]","level":"INFO","level_value":20000,"stack_trace":"org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException: Unable to claim token 'order-projection[1]'. It is owned by '7@ledger-projector-1'\n"}),
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(B, "2026-03-14 09:39:00.301  INFO 1 --- [ojection]-0] o.a.e.TrackingEventProcessor             : Fetched token: GlobalSequenceTrackingToken{globalIndex=1843022} for segment: Segment[0/1]",
    AX + "messaging/src/main/java/org/axonframework/eventhandling/TrackingEventProcessor.java")
add(B, j({"@timestamp":"2026-03-14T10:29:58.004Z","@version":"1","message":"Snapshot load error for persistenceId [Account|a-17]. Replaying all events since snapshot-is-optional=true","logger_name":"akka.persistence.Eventsourced","thread_name":"ledger-akka.actor.default-dispatcher-9","level":"INFO","level_value":20000}),
    AK + "akka-persistence/src/main/scala/akka/persistence/Eventsourced.scala")
add(B, j({"@timestamp":"2026-03-14T10:29:58.120Z","@version":"1","message":"Recovery for persistenceId [Account|a-17] took 12.41 ms","logger_name":"akka.persistence.typed.internal.EventSourcedBehaviorImpl","thread_name":"ledger-akka.actor.default-dispatcher-9","level":"DEBUG","level_value":10000}),
    AK + "akka-persistence-typed/src/main/scala/akka/persistence/typed/internal/ReplayingEvents.scala")
add(B, "2026-03-14 10:39:58,004 INFO  akka.persistence.r2dbc.internal.R2dbcExecutor - insert [Account|a-17] - DB call completed in [843] µs",
    R2 + "core/src/main/scala/akka/persistence/r2dbc/internal/R2dbcExecutor.scala (log-db-calls-exceeding = 0)")
add(B, "2026-03-14 10:39:58,210 INFO  akka.persistence.r2dbc.internal.R2dbcExecutor - select eventsBySlices [0 - 255] - Selected [12] rows in [1904] µs",
    R2 + "core/src/main/scala/akka/persistence/r2dbc/internal/R2dbcExecutor.scala (log-db-calls-exceeding = 0)")
add(B, "[    1,20,08:00:02.340,DBG] PersistentSubscriptionService  Persistent Subscriptions have been started.",
    ES + "src/EventStore.Core/Services/PersistentSubscription/PersistentSubscriptionService.cs")
add(B, "[    1,20,11:30:00.004,DBG] PersistentSubscriptionService  Replaying parked messages for persistent subscription orders::billing-projector  (To: '1843')",
    ES + "src/EventStore.Core/Services/PersistentSubscription/PersistentSubscriptionService.cs")

with open("/tmp/tailwatch-capture/corpus/event_sourcing.jsonl", "w") as f:
    for e in E: f.write(json.dumps(e, ensure_ascii=False) + "\n")
from collections import Counter
print(Counter(e["category"] for e in E))
