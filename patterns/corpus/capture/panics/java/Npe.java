// Uncaught NullPointerException on the main thread: java Npe.java
import java.util.Map;
public class Npe {
    static Map<String, String> projections = new java.util.HashMap<>();
    static int checkpointLength(String name) { return projections.get(name).length(); }
    public static void main(String[] args) { System.out.println(checkpointLength("orders")); }
}
