package org.fourier4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectoryException;
import org.fourier4j.io.Safetensors;
import org.fourier4j.io.StateDict;
import org.fourier4j.io.TensorData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j forward}: a model's raw outputs on a tensor, to compare with PyTorch. */
@Command(
        name = "forward",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a model in inference mode on the tensor 'input' (N, C, H, W) of a safetensors"
                    + " file, exactly as given (no resizing or normalisation), and writes 'logits'"
                    + " (N, classes) and 'features' (N, D; the input of the classifier) to another"
                    + " safetensors file: the tool to compare fourier4j with PyTorch outputs. It"
                    + " runs in the engine --engine names (as predict)."
        })
final class ForwardCommand implements Callable<Integer> {

    @Mixin private ModelDirectoryOption modelDir;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description = "safetensors with 'input'.")
    private Path input;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "FILE",
            description = "safetensors to write.")
    private Path output;

    @Mixin private EngineOption engine;

    @Override
    public Integer call() throws IOException {
        engine.apply();
        try (LoadedModel m = modelDir.open();
                StateDict in = Safetensors.read(input);
                NDManager scope = m.manager().newSubManager()) {
            TensorData t = in.get("input");
            if (t == null) {
                throw new ModelDirectoryException(
                        input + " has no tensor named 'input' (it has " + in.names() + ")");
            }
            long[] s = t.shape();
            int c = m.card().inChannels();
            if (s.length != 4 || s[1] != c) {
                throw new ModelDirectoryException(
                        input
                                + ": 'input' must be (N, "
                                + c
                                + ", H, W), got "
                                + java.util.Arrays.toString(s));
            }
            NDArray x = t.toNDArray(scope, DataType.FLOAT32);
            long start = System.nanoTime();
            NDList out = m.forward(x);
            long ms = (System.nanoTime() - start) / 1_000_000;
            Safetensors.write(
                    output,
                    List.of(
                            TensorData.of("logits", out.get(0)),
                            TensorData.of("features", out.get(1))),
                    java.util.Map.of("fourier4j.model", m.card().model()));
            System.err.printf(
                    Locale.ROOT,
                    "forward: %s on %d images of %dx%d in %d ms; wrote logits %s and features %s to"
                            + " %s%n",
                    m.card().model(),
                    s[0],
                    s[2],
                    s[3],
                    ms,
                    out.get(0).getShape(),
                    out.get(1).getShape(),
                    output);
        }
        return 0;
    }
}
