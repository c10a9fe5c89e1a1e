// Uncaught exception with a cause on a pool thread, then the JVM exits when main ends
import java.util.concurrent.*;
public class Worker {
    static void append(String stream) {
        try {
            throw new java.io.IOException("Connection reset by peer");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("append to " + stream + " failed", e);
        }
    }
    public static void main(String[] args) throws Exception {
        Thread t = new Thread(() -> append("order-42"), "projection-worker-1");
        t.start(); t.join();
    }
}
