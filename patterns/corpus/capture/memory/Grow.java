// java -Xmx<N> Grow.java MODE : provoke the JVM's OutOfMemoryError kinds.
import java.util.*;
import java.nio.ByteBuffer;
public class Grow {
    public static void main(String[] a) throws Exception {
        String mode = a.length > 0 ? a[0] : "heap";
        List<Object> keep = new ArrayList<>();
        switch (mode) {
            case "heap": while (true) keep.add(new byte[1 << 20]);
            case "gcoverhead": { Map<Integer,String> m = new HashMap<>(); int i = 0; while (true) { m.put(i, "v" + i); i++; } }
            case "array": { int[] x = new int[Integer.MAX_VALUE]; System.out.println(x.length); break; }
            case "direct": while (true) keep.add(ByteBuffer.allocateDirect(1 << 20));
            case "threads": while (true) { Thread t = new Thread(() -> { try { Thread.sleep(600000); } catch (InterruptedException e) {} }); t.setDaemon(true); t.start(); keep.add(t); }
            case "rss": while (true) { byte[] b = new byte[1 << 20]; Arrays.fill(b, (byte)1); keep.add(b); }
        }
    }
}
