package org.fourier4j.onnx.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.fourier4j.fft.ConvAlgorithm;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.FftConv2d;
import org.fourier4j.nn.FourierMixer;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.onnx.ExportTesting;
import org.fourier4j.onnx.OnnxExport;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.OnnxRuntimeSession;
import org.fourier4j.onnx.spectral.ConvMethod;
import org.fourier4j.onnx.spectral.SpectralMethod;

/**
 * Times each way of exporting the Fourier layers in ONNX Runtime (CPU, batch 1) on the shapes of
 * the zoo's models, beside fourier4j's own forward pass of the same layer (PyTorch engine), and
 * prints a Markdown table: the measurements behind {@link
 * org.fourier4j.onnx.spectral.TransformRule}. Not a test: run it by hand (see docs/onnx.md).
 *
 * <p>Arguments: {@code [threads] [seconds per measurement] [filter]}; defaults 2, 2 and all cases.
 */
public final class TransformBenchmark {

    private TransformBenchmark() {}

    private record Case(
            String layer, String model, Supplier<Block> block, Shape shape, boolean conv) {}

    /**
     * Runs the benchmark.
     *
     * @param args threads, seconds per measurement, optional substring filter on the case names
     */
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        String filter = args.length > 2 ? args[2] : "";
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        List<Case> cases = cases();
        System.out.println(
                "| layer | model | input | fourier4j (DJL) | ONNX MATMUL | ONNX DFT | ONNX DIRECT"
                        + " Conv |");
        System.out.println("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Case c : cases) {
                if (!(c.layer + " " + c.model + " " + c.shape).contains(filter)) {
                    continue;
                }
                Block block = ExportTesting.initialise(manager, c.block.get(), 1, c.shape);
                float[] input = ExportTesting.randomInput(c.shape, 2);
                String djl = format(timeDjl(manager, block, input, c.shape, seconds));
                String matmul;
                String dft;
                String direct = "";
                if (c.conv) {
                    matmul =
                            format(
                                    timeOnnx(
                                            block,
                                            c.shape,
                                            convOptions(ConvMethod.MATMUL),
                                            input,
                                            threads,
                                            seconds));
                    dft =
                            format(
                                    timeOnnx(
                                            block,
                                            c.shape,
                                            convOptions(ConvMethod.DFT),
                                            input,
                                            threads,
                                            seconds));
                    direct =
                            format(
                                    timeOnnx(
                                            block,
                                            c.shape,
                                            convOptions(ConvMethod.DIRECT),
                                            input,
                                            threads,
                                            seconds));
                } else {
                    matmul =
                            format(
                                    timeOnnx(
                                            block,
                                            c.shape,
                                            spectralOptions(SpectralMethod.MATMUL),
                                            input,
                                            threads,
                                            seconds));
                    dft =
                            format(
                                    timeOnnx(
                                            block,
                                            c.shape,
                                            spectralOptions(SpectralMethod.DFT),
                                            input,
                                            threads,
                                            seconds));
                }
                System.out.printf(
                        "| %s | %s | %s | %s | %s | %s | %s |%n",
                        c.layer, c.model, c.shape, djl, matmul, dft, direct);
            }
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int[][] gfnet = {
            {14, 256, 0},
            {56, 64, 1},
            {28, 128, 1},
            {14, 256, 1},
            {7, 512, 1},
            {16, 256, 2},
            {32, 128, 2},
            {64, 64, 2}
        };
        for (int[] g : gfnet) {
            String model = g[2] == 0 ? "GFNet-Ti" : g[2] == 1 ? "GFNet-H-Ti" : "power of two";
            cases.add(
                    new Case(
                            "GlobalFilter",
                            model,
                            () -> GlobalFilter.builder().build(),
                            new Shape(1, g[0], g[0], g[1]),
                            false));
        }
        int[][] aff = {{28, 64}, {14, 104}, {7, 144}};
        for (int[] a : aff) {
            cases.add(
                    new Case(
                            "AdaptiveFrequencyFilter",
                            "AFFNet-ET",
                            () -> AdaptiveFrequencyFilter.builder().optGroups(8).build(),
                            new Shape(1, a[1], a[0], a[0]),
                            false));
        }
        int[][] fit = {{65, 192}, {196, 192}, {197, 192}, {197, 768}, {1024, 192}, {3137, 192}};
        for (int[] f : fit) {
            String model =
                    f[0] == 3137 ? "FiT-Ti at 224" : f[0] == 1024 ? "power of two" : "FiT/FNet";
            cases.add(
                    new Case(
                            "FourierMixer",
                            model,
                            () -> FourierMixer.builder().build(),
                            new Shape(1, f[0], f[1]),
                            false));
        }
        int[][] conv = {{31, 56, 128}, {29, 28, 256}, {27, 14, 512}, {13, 7, 1024}, {7, 56, 96}};
        for (int[] k : conv) {
            String model = k[0] == 7 ? "ConvNeXt-T" : "RepLKNet-31B";
            cases.add(
                    new Case(
                            "FftConv2d " + k[0] + "x" + k[0],
                            model,
                            () ->
                                    FftConv2d.builder()
                                            .setKernelShape(new Shape(k[0], k[0]))
                                            .setFilters(k[2])
                                            .optGroups(k[2])
                                            .optSamePadding()
                                            .optAlgorithm(ConvAlgorithm.FFT)
                                            .build(),
                            new Shape(1, k[2], k[1], k[1]),
                            true));
        }
        return cases;
    }

    private static OnnxExportOptions spectralOptions(SpectralMethod m) {
        return OnnxExportOptions.builder().spectralMethod(m).build();
    }

    private static OnnxExportOptions convOptions(ConvMethod m) {
        return OnnxExportOptions.builder().convMethod(m).build();
    }

    private static double[] timeOnnx(
            Block block,
            Shape shape,
            OnnxExportOptions options,
            float[] input,
            int threads,
            double seconds) {
        byte[] model = OnnxExport.toModel(block, shape, options).toByteArray();
        try (OnnxRuntimeSession s = OnnxRuntimeSession.open(model, threads)) {
            return time(() -> s.run(input, shape.getShape()), seconds);
        }
    }

    private static double[] timeDjl(
            NDManager manager, Block block, float[] input, Shape shape, double seconds) {
        return time(
                () -> {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = scope.create(input, shape);
                        block.forward(new ParameterStore(scope, false), new NDList(x), false)
                                .head()
                                .toFloatArray();
                    }
                },
                seconds);
    }

    /** Median and minimum in ms after 3 warm-up runs, over at least 5 runs or the time budget. */
    private static double[] time(Runnable run, double seconds) {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ms.size() < 5 || (System.nanoTime() < end && ms.size() < 200)) {
            long t = System.nanoTime();
            run.run();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {v[v.length / 2], v[0]};
    }

    private static String format(double[] t) {
        return String.format(Locale.ROOT, "%.2f (%.2f)", t[0], t[1]);
    }
}
