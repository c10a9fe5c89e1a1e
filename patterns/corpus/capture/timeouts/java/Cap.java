// Captures real JDK / pgjdbc timeout exceptions against loopback servers
// (slow HTTP 18081, full accept queue 18085, PostgreSQL 15 on 55471); logs via slf4j-simple.
import java.net.*;
import java.net.http.*;
import java.sql.*;
import java.time.Duration;
import java.io.*;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Cap {
  static final Logger log = LoggerFactory.getLogger("com.example.ledger.LedgerClient");
  interface Body { void run() throws Exception; }
  static void run(String name, Body b) {
    try { b.run(); log.info("{} ok", name); }
    catch (Exception e) { log.error(name + " failed", e); }
  }
  public static void main(String[] a) throws Exception {
    HttpClient hc = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    run("httpclient_request_timeout", () -> hc.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18081/v1/balance")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()));
    run("httpclient_connect_timeout", () -> hc.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18085/v1/ledger")).build(), HttpResponse.BodyHandlers.ofString()));
    run("urlconnection_read_timeout", () -> { HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:18081/v1/balance").openConnection(); c.setReadTimeout(1000); c.getResponseCode(); });
    run("socket_connect_timeout", () -> { try (Socket s = new Socket()) { s.connect(new InetSocketAddress("127.0.0.1", 18085), 700); } });
    String url = "jdbc:postgresql://127.0.0.1:55471/postgres";
    run("pgjdbc_statement_timeout", () -> { try (Connection c = DriverManager.getConnection(url + "?options=-c%20statement_timeout=300", "postgres", "")) { c.createStatement().execute("SELECT pg_sleep(2)"); } });
    run("pgjdbc_query_timeout", () -> { try (Connection c = DriverManager.getConnection(url, "postgres", "")) { Statement st = c.createStatement(); st.setQueryTimeout(1); st.execute("SELECT pg_sleep(3)"); } });
    run("pgjdbc_socket_timeout", () -> { try (Connection c = DriverManager.getConnection(url + "?socketTimeout=1", "postgres", "")) { c.createStatement().execute("SELECT pg_sleep(3)"); } });
    HttpClient hc2 = HttpClient.newHttpClient();
    hc2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18081/v1/balance")).timeout(Duration.ofMillis(800)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
