package org.fourier4j.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded model per JVM and model directory: the first task of an executor that needs a model
 * loads it, every later task (and every concurrent task thread) of that JVM shares it. Models stay
 * loaded for the life of the JVM unless {@link #release released}.
 *
 * <p>Before the first load the engine's intra-op threads are set to the cores Spark gives a task
 * ({@code spark.task.cpus}, 1 by default), unless {@code ai.djl.pytorch.num_threads} or {@code
 * OMP_NUM_THREADS} is set: an executor runs one task per core, and libtorch's default of one thread
 * per core in every task would run cores x cores threads. This takes effect only where the engine
 * has not started yet (an executor, or the command line's local mode). DJL's offline mode is set
 * too, unless set otherwise: an executor never downloads anything.
 */
public final class ModelCache {

    /** The system property DJL's PyTorch engine reads its intra-op thread count from. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ModelCache() {}

    /**
     * The model of a directory, loaded on first use.
     *
     * @param dir the directory as given to the job (see {@link ModelLocator})
     * @return the shared model; do not close it
     */
    public static LoadedModel get(String dir) {
        return MODELS.computeIfAbsent(dir, ModelCache::load);
    }

    /**
     * @return how many models this JVM has loaded so far
     */
    public static int loads() {
        return LOADS.get();
    }

    /**
     * Closes and forgets a model (its next use loads it again).
     *
     * @param dir the directory as given to the job
     */
    public static void release(String dir) {
        LoadedModel m = MODELS.remove(dir);
        if (m != null) {
            m.close();
        }
    }

    private static LoadedModel load(String dir) {
        // an executor started by spark-submit has none of the command line's settings
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("disableProgressBar", "true");
        capIntraOpThreads();
        Path path = ModelLocator.resolve(dir);
        long t0 = System.nanoTime();
        LoadedModel m = ModelDirectory.open(path);
        LOADS.incrementAndGet();
        LOG.info(
                "loaded {} ({}) in {} ms",
                path,
                m.card().model(),
                (System.nanoTime() - t0) / 1_000_000);
        return m;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void capIntraOpThreads() {
        if (System.getProperty(THREADS_PROPERTY) != null
                || System.getenv("OMP_NUM_THREADS") != null) {
            return;
        }
        SparkEnv env = SparkEnv.get(); // the driver's in local mode, else the executor's
        int cpus = env == null ? 1 : Math.max(1, env.conf().getInt("spark.task.cpus", 1));
        System.setProperty(THREADS_PROPERTY, String.valueOf(cpus));
    }
}
