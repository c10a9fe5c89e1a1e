// java -XX:MaxMetaspaceSize=16m Meta : define proxy classes in fresh class loaders until Metaspace is full.
import java.lang.reflect.*;
import java.util.*;
public class Meta {
    public interface I { void f(); }
    public static void main(String[] a) {
        List<Object> keep = new ArrayList<>();
        for (int i = 0; ; i++) {
            ClassLoader cl = new ClassLoader(Meta.class.getClassLoader()) {};
            keep.add(Proxy.newProxyInstance(cl, new Class<?>[]{I.class}, (p, m, args) -> null));
            keep.add(cl);
        }
    }
}
