package org.fourier4j.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the benchmarks here share: average time in ms, one fork with the engine offline, 3 warm-up
 * and 5 measured one-second iterations; the manager their inputs live in, and views that let each
 * invocation free its intermediates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xss4m",
            "-Dai.djl.offline=true",
            "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=off",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
        })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class EngineBenchmark {

    /** Owns the inputs and blocks for the whole trial; set by the subclass's setup. */
    protected NDManager base;

    /** Frees the trial's arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        base.close();
    }

    /**
     * A float32 N(0, std^2) array in the base manager.
     *
     * @param std the standard deviation
     * @param shape the shape
     * @return the array
     */
    protected NDArray normal(float std, Shape shape) {
        return base.randomNormal(0, std, shape, DataType.FLOAT32);
    }

    /**
     * A view of a long-lived array owned by {@code step}, so the op's results are freed with it.
     *
     * @param x the array
     * @param step the invocation's manager
     * @return the view
     */
    protected static NDArray view(NDArray x, NDManager step) {
        NDArray in = x.reshape(x.getShape());
        in.attach(step);
        return in;
    }
}
