package org.fourier4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times an import: open a weight file and make an engine array of every tensor (kept alive until
 * the end, as an importer does). Not a unit test: run it by hand on files made by
 * src/test/python/make_benchmark_files.py, under {@code /usr/bin/time -v} for the peak RSS.
 *
 * <pre>
 * mvn -B -q test-compile -pl fourier4j-io -am
 * mvn -B -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -pl fourier4j-io
 * /usr/bin/time -v java -cp "$(cat /tmp/cp.txt):fourier4j-io/target/classes:fourier4j-io/target/test-classes" \
 *     org.fourier4j.io.ReadBenchmark /tmp/replknet31b.safetensors
 * </pre>
 *
 * With the argument {@code none} it only starts the engine: the RSS of that run is the baseline to
 * subtract.
 */
public final class ReadBenchmark {
    private ReadBenchmark() {}

    public static void main(String[] args) throws IOException {
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.create(1f).close();
            long engine = System.nanoTime();
            System.out.printf("engine started in %.2f s%n", (engine - start) / 1e9);
            if (args[0].equals("none")) {
                return;
            }
            long bytes = 0;
            List<NDArray> arrays = new ArrayList<>();
            try (StateDict weights = WeightFiles.read(Path.of(args[0]))) {
                long opened = System.nanoTime();
                for (TensorData t : weights.values()) {
                    arrays.add(t.toNDArray(manager, DataType.FLOAT32));
                    bytes += t.byteSize();
                }
                long done = System.nanoTime();
                System.out.printf(
                        "%s: %d tensors, %.1f MB; opened in %.3f s, read into %d FLOAT32 arrays in"
                                + " %.3f s; total %.3f s (%.0f MB/s)%n",
                        weights.format(),
                        weights.size(),
                        bytes / 1e6,
                        (opened - engine) / 1e9,
                        arrays.size(),
                        (done - opened) / 1e9,
                        (done - engine) / 1e9,
                        bytes / 1e6 / ((done - engine) / 1e9));
            }
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    "heap in use at the end: %.0f MB%n",
                    (rt.totalMemory() - rt.freeMemory()) / 1e6);
        }
    }
}
