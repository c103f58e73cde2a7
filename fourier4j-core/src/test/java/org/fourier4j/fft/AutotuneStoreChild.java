package org.fourier4j.fft;

import java.nio.file.Paths;

/**
 * A second JVM for {@link AutotuneStoreTest}: writes {@code count} entries {@code prefix + i} to
 * the store at {@code file}, one locked write each, after printing "ready".
 */
public final class AutotuneStoreChild {

    private AutotuneStoreChild() {}

    /**
     * @param args file, prefix, count
     */
    public static void main(String[] args) {
        AutotuneStore store = new AutotuneStore(Paths.get(args[0]), AutotuneStoreTest.STAMP);
        System.out.println("ready");
        System.out.flush();
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < count; i++) {
            if (!store.put(args[1] + i, AutotuneStoreTest.value(i))) {
                System.exit(3);
            }
        }
    }
}
