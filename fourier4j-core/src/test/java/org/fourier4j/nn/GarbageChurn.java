package org.fourier4j.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A background thread that keeps the garbage collector busy and reuses freed native memory with
 * small Java-backed arrays - the conditions under which an array whose memory only a Java object
 * keeps alive (DJL's {@code create} from Java data, and its {@code Number} overloads) would be
 * freed and overwritten while autograd still holds it.
 */
public final class GarbageChurn implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    public GarbageChurn() {
        thread =
                new Thread(
                        () -> {
                            try (NDManager m = NDManager.newBaseManager()) {
                                while (running) {
                                    System.gc();
                                    for (int i = 0; i < 200 && running; i++) {
                                        m.create(new double[] {777, 777}, new Shape(2)).close();
                                        m.create(new float[] {777f, 777f, 777f, 777f}, new Shape(4))
                                                .close();
                                        m.create(777.0).close();
                                        m.create(777f).close();
                                    }
                                    try {
                                        Thread.sleep(1);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            }
                        },
                        "garbage-churn");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
