// Starts a HikariCP pool against the scratch PostgreSQL (55471) with DEBUG logging to capture its config dump.
import com.zaxxer.hikari.*;
public class Hik {
  public static void main(String[] a) throws Exception {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:55471/postgres"); c.setUsername("postgres"); c.setPoolName("ledger-pool");
    c.setConnectionTimeout(30000); c.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(c)) { ds.getConnection().close(); }
  }
}
