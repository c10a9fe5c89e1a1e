// JVM crash: write through a null address with sun.misc.Unsafe (java Crash.java)
import java.lang.reflect.Field;
public class Crash {
    public static void main(String[] args) throws Exception {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
        u.putAddress(0, 42);
    }
}
