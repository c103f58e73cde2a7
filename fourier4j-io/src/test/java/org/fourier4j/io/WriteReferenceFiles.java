package org.fourier4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code written-by-fourier4j.pth} and {@code .safetensors} into the test resources: the
 * tensors of dtypes.pth and views.pth (views under {@code views.}, read as strided views and
 * written contiguous), with fourier4j's writers. {@code make_weight_files.py verify} then loads
 * them with torch 1.13 ({@code torch.load(weights_only=True)}) and checks every tensor;
 * WrittenReferenceFilesTest checks that the writers still produce exactly these bytes.
 *
 * <pre>
 * mvn -B -q test-compile -pl fourier4j-io -am
 * java -cp "$(cat cp.txt):fourier4j-io/target/classes:fourier4j-io/target/test-classes" \
 *     org.fourier4j.io.WriteReferenceFiles fourier4j-io/src/test/resources/org/fourier4j/io/weights
 * /usr/bin/python3 fourier4j-io/src/test/python/make_weight_files.py verify
 * </pre>
 *
 * (cp.txt from {@code mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt -pl
 * fourier4j-io}.)
 */
public final class WriteReferenceFiles {
    static final Map<String, String> METADATA = Map.of("format", "pt");

    private WriteReferenceFiles() {}

    /** The tensors of the reference files, from the committed torch 1.13 files. */
    static List<TensorData> tensors(StateDict dtypes, StateDict views) {
        List<TensorData> all = new ArrayList<>(dtypes.values());
        for (TensorData t : views.values()) {
            all.add(t.renamed("views." + t.name()));
        }
        return all;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        try (StateDict dtypes = TorchCheckpoint.read(dir.resolve("dtypes.pth"));
                StateDict views = TorchCheckpoint.read(dir.resolve("views.pth"))) {
            List<TensorData> tensors = tensors(dtypes, views);
            TorchCheckpoint.write(dir.resolve("written-by-fourier4j.pth"), tensors);
            Safetensors.write(dir.resolve("written-by-fourier4j.safetensors"), tensors, METADATA);
        }
        System.out.println("wrote written-by-fourier4j.pth and .safetensors into " + dir);
    }
}
