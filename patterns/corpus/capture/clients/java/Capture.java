// Scenarios for the JVM captures. Lines "@@CAT <category> [accept,...]" on stderr
// are markers for the driver (java_capture.py) and are never recorded.
import java.io.*;
import java.net.*;
import java.net.http.*;
import java.sql.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.logging.Level;

public class Capture {
    static void cat(String c) { System.err.println("@@CAT " + c); System.err.flush(); }
    static final String URL = "jdbc:postgresql://127.0.0.1:55433/cap?user=postgres";

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "heap": heap(); break;
            case "metaspace": metaspace(); break;
            case "http": http(Integer.parseInt(a[1]), Integer.parseInt(a[2])); break;
            case "httpcrash": httpCrash(Integer.parseInt(a[1])); break;
            case "hikari": hikari(); break;
            case "jdbc": jdbc(); break;
            case "jdbccrash": jdbcCrash(); break;
            case "jdbctimeout": jdbcTimeout(Integer.parseInt(a[1])); break;
        }
    }

    // -Xmx16m: java.lang.OutOfMemoryError: Java heap space, uncaught
    static void heap() {
        List<long[]> keep = new ArrayList<>();
        while (true) keep.add(new long[64 * 1024]);
    }

    // -XX:MaxMetaspaceSize: define the same class in fresh loaders until Metaspace runs out
    static void metaspace() throws Exception {
        byte[] b;
        try (InputStream in = Capture.class.getResourceAsStream("Capture$Gen.class")) { b = in.readAllBytes(); }
        List<Object> keep = new ArrayList<>();
        while (true) {
            ClassLoader l = new ClassLoader(null) {
                { keep.add(defineClass("Capture$Gen", b, 0, b.length)); }
            };
            keep.add(l);
        }
    }
    static class Gen { int a, b, c; void m1() {} void m2() {} void m3() {} }

    // java.net.http.HttpClient timeouts logged with java.util.logging
    static void http(int slowPort, int holePort) throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("com.example.checkout.GatewayClient");
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        cat("benign");
        log.info("gateway client ready: connectTimeout=PT0.5S, requestTimeout=PT0.4S");
        cat("timeout");
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slowPort + "/slow=3")).timeout(Duration.ofMillis(400)).build();
        try { c.send(r, HttpResponse.BodyHandlers.ofString()); }
        catch (HttpTimeoutException e) { log.log(Level.SEVERE, "payment authorisation failed", e); }
        HttpRequest r2 = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + holePort + "/")).build();
        try { c.send(r2, HttpResponse.BodyHandlers.ofString()); }
        catch (HttpConnectTimeoutException e) { log.log(Level.WARNING, "payment authorisation failed", e); }
        try { c.sendAsync(r, HttpResponse.BodyHandlers.ofString()).get(); }
        catch (ExecutionException e) { log.log(Level.SEVERE, "payment authorisation failed", e); }
        cat("skip");
    }

    // uncaught: UncheckedIOException caused by HttpTimeoutException, wrapped again by CompletionException
    static void httpCrash(int slowPort) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slowPort + "/slow=3")).timeout(Duration.ofMillis(300)).build();
        try { c.send(r, HttpResponse.BodyHandlers.ofString()); }
        catch (HttpTimeoutException e) { throw new IllegalStateException(new UncheckedIOException(e)); }
    }

    // HikariCP pool exhaustion, leak detection, config and stats at DEBUG (slf4j-simple)
    static void hikari() throws Exception {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.ledger.AccountRepository");
        cat("benign");
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(URL); cfg.setMaximumPoolSize(2); cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(500); cfg.setLeakDetectionThreshold(2000); cfg.setPoolName("ledger-pool");
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(cfg);
        Connection c1 = ds.getConnection(); Connection c2 = ds.getConnection();
        cat("pool_exhaustion timeout");
        for (int i = 0; i < 2; i++) {
            try { ds.getConnection(); } catch (SQLException e) { log.error("Failed to load account 42", e); }
        }
        cat("pool_pressure");
        Thread.sleep(2300);
        cat("benign");
        c1.close(); c2.close();
        Thread.sleep(300);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) { s.execute("select 1"); }
        ds.close();
        cat("skip");
    }

    // PG JDBC: serialization failure, deadlock, statement timeout, lock timeout (slf4j-simple)
    static void jdbc() throws Exception {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.orders.OrderService");
        cat("skip");
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("drop table if exists jv_accounts; create table jv_accounts(id int primary key, balance int); insert into jv_accounts values (1,100),(2,100)");
        }
        Connection a = DriverManager.getConnection(URL), b = DriverManager.getConnection(URL);
        a.setAutoCommit(false); b.setAutoCommit(false);
        a.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); b.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        a.createStatement().executeQuery("select * from jv_accounts").close(); b.createStatement().executeQuery("select * from jv_accounts").close();
        a.createStatement().executeUpdate("update jv_accounts set balance = 1 where id = 1");
        ExecutorService ex = Executors.newFixedThreadPool(2);
        Future<?> f = ex.submit(() -> { b.createStatement().executeUpdate("update jv_accounts set balance = 2 where id = 1"); return null; });
        Thread.sleep(200); a.commit();
        cat("concurrency_conflict");
        try { f.get(); } catch (ExecutionException e) { log.error("Order update failed", e.getCause()); }
        cat("skip");
        b.rollback();
        a.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); b.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        a.createStatement().executeUpdate("update jv_accounts set balance = 3 where id = 1");
        b.createStatement().executeUpdate("update jv_accounts set balance = 3 where id = 2");
        Future<?> f1 = ex.submit(() -> { a.createStatement().executeUpdate("update jv_accounts set balance = 4 where id = 2"); return null; });
        Future<?> f2 = ex.submit(() -> { b.createStatement().executeUpdate("update jv_accounts set balance = 4 where id = 1"); return null; });
        for (Future<?> x : List.of(f1, f2)) {
            try { x.get(); } catch (ExecutionException e) { cat("deadlock"); log.error("Transfer failed", e.getCause()); cat("skip"); }
        }
        a.rollback(); b.rollback();
        // lock timeout while a holds the row
        a.createStatement().executeUpdate("update jv_accounts set balance = 5 where id = 1");
        b.createStatement().execute("set lock_timeout = '200ms'");
        cat("deadlock");
        try { b.createStatement().executeUpdate("update jv_accounts set balance = 6 where id = 1"); } catch (SQLException e) { log.warn("Could not lock account 1", e); }
        cat("skip");
        a.rollback(); b.rollback();
        // statement timeout (server) and JDBC query timeout (client cancel)
        b.createStatement().execute("set statement_timeout = '200ms'");
        cat("timeout");
        try { b.createStatement().executeQuery("select pg_sleep(2)"); } catch (SQLException e) { log.error("Report query failed", e); }
        cat("skip");
        b.rollback();
        b.createStatement().execute("set statement_timeout = 0");
        Statement st = b.createStatement(); st.setQueryTimeout(1);
        cat("timeout");
        try { st.executeQuery("select pg_sleep(3)"); } catch (SQLException e) { log.error("Report query failed", e); }
        cat("skip");
        b.rollback();
        a.close(); b.close(); ex.shutdown();
    }

    // connect timeouts: plain DriverManager (connectTimeout=1s) and HikariCP (connectionTimeout=1500ms)
    static void jdbcTimeout(int port) throws Exception {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("com.example.orders.OrderRepository");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/cap?user=postgres&connectTimeout=1";
        cat("timeout");
        try { DriverManager.getConnection(url); } catch (SQLException e) { log.error("Could not open database connection", e); }
        cat("pool_exhaustion timeout");
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(url); cfg.setMaximumPoolSize(2); cfg.setConnectionTimeout(1500);
        cfg.setInitializationFailTimeout(-1); cfg.setPoolName("orders-pool");
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(cfg);
        try { ds.getConnection(); } catch (SQLException e) { log.error("Failed to load order 7", e); }
        cat("skip");
        ds.close();
    }

    // uncaught exception in main with a Caused by chain from the driver (too many clients)
    static void jdbcCrash() throws Exception {
        List<Connection> keep = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) keep.add(DriverManager.getConnection(URL));
        } catch (SQLException e) { /* server is full now */ }
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(URL); cfg.setMaximumPoolSize(10); cfg.setPoolName("orders-pool");
        new com.zaxxer.hikari.HikariDataSource(cfg);   // throws PoolInitializationException, uncaught
    }
}
