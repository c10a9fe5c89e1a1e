// PgJDBC 42.5.5 (Debian) against the local PostgreSQL 15.18; logged with slf4j-simple 1.7.32.
import java.sql.*;
import java.util.concurrent.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Capture {
    static final Logger log = LoggerFactory.getLogger("com.example.ledger.TransferService");
    static final Logger jlog = LoggerFactory.getLogger("com.example.journal.JournalWriter");
    static Connection conn() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:55439/postgres", "postgres", "");
    }
    public static void main(String[] a) throws Exception {
        Class.forName("org.postgresql.Driver");
        try (Connection c = conn(); Statement s = c.createStatement()) {
            s.execute("drop table if exists j_acc, event_journal");
            s.execute("create table j_acc(id int primary key, bal int)");
            s.execute("insert into j_acc values (1,1),(2,2)");
            s.execute("create table event_journal(ordering bigserial, persistence_id varchar(255) not null, sequence_number bigint not null, deleted boolean default false not null, writer varchar(255) not null, write_timestamp bigint, adapter_manifest varchar(255), event_ser_id integer not null, event_ser_manifest varchar(255) not null, event_payload bytea not null, meta_ser_id integer, meta_ser_manifest varchar(255), meta_payload bytea, primary key(persistence_id, sequence_number))");
            s.execute("insert into event_journal(persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest, event_payload) values ('Order|42', 12, 'w1', 1, 'OrderPlaced', '\\x00')");
        }
        // deadlock
        Connection c1 = conn(), c2 = conn();
        c1.setAutoCommit(false); c2.setAutoCommit(false);
        c1.createStatement().executeUpdate("update j_acc set bal=bal-1 where id=1");
        c2.createStatement().executeUpdate("update j_acc set bal=bal-1 where id=2");
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> new Thread(r, "transfer-worker-1"));
        Future<?> f = ex.submit(() -> { try { c1.createStatement().executeUpdate("update j_acc set bal=bal+1 where id=2"); c1.commit(); }
            catch (SQLException e) { log.error("Transfer 1->2 failed", e); try { c1.rollback(); } catch (SQLException ignored) {} } });
        Thread.sleep(300);
        try { c2.createStatement().executeUpdate("update j_acc set bal=bal+1 where id=1"); c2.commit(); }
        catch (SQLException e) { log.error("Transfer 2->1 failed", e); c2.rollback(); }
        f.get();
        // serialization failure
        c1.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); c2.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c1.createStatement().executeQuery("select * from j_acc"); c2.createStatement().executeQuery("select * from j_acc");
        c1.createStatement().executeUpdate("update j_acc set bal=bal+1 where id=1");
        f = ex.submit(() -> { try { Thread.sleep(200); c1.commit(); } catch (Exception e) {} });
        try { c2.createStatement().executeUpdate("update j_acc set bal=bal+1 where id=1"); }
        catch (SQLException e) { log.warn("Deposit failed, SQLState " + e.getSQLState(), e); c2.rollback(); }
        f.get();
        c1.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); c2.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        // lock timeout
        c1.createStatement().executeUpdate("update j_acc set bal=bal where id=1");
        c2.createStatement().execute("set local lock_timeout = '300ms'");
        try { c2.createStatement().executeUpdate("update j_acc set bal=0 where id=1"); }
        catch (SQLException e) { log.error("Balance reset failed", e); c2.rollback(); }
        c1.rollback();
        // duplicate journal key
        try (PreparedStatement ps = c2.prepareStatement("insert into event_journal(persistence_id, sequence_number, writer, event_ser_id, event_ser_manifest, event_payload) values (?,?,?,?,?,?)")) {
            ps.setString(1, "Order|42"); ps.setLong(2, 12); ps.setString(3, "w2"); ps.setInt(4, 1); ps.setString(5, "OrderShipped"); ps.setBytes(6, new byte[]{0});
            ps.executeUpdate();
        } catch (SQLException e) { jlog.error("Failed to write events for persistenceId [Order|42]", e); c2.rollback(); }
        ex.shutdown(); c1.close(); c2.close();
    }
}
