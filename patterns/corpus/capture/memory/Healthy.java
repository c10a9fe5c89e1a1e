// A short healthy allocation loop: young collections that free almost everything.
public class Healthy {
    public static void main(String[] a) {
        long sum = 0;
        for (int i = 0; i < 3000; i++) { byte[] b = new byte[256 * 1024]; sum += b.length; }
        System.out.println(sum);
    }
}
