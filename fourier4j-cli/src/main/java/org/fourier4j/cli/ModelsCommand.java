package org.fourier4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.models.FlopCounter;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelInfo;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelStats;
import org.fourier4j.models.ModelZoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j models}: every named model with its size and cost. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Lists every model of the zoo: family, parameters and GFLOPs (multiply-adds; FFTs as"
                    + " 5 N log2 N per complex transform) at the image size, and the paper's"
                    + " reported parameters and GFLOPs with the image size and number of classes"
                    + " they refer to.",
            "Models whose reported figures refer to another form than the default one are"
                    + " counted in that form (column form; e.g. FFNet's fused inference form,"
                    + " deploy=true; CAS-ViT with its distillation head).",
            "Each model is built and initialised to count it, so large ones take a few seconds."
        })
final class ModelsCommand implements Callable<Integer> {

    @Option(
            names = "--image-size",
            description = "Count at this resolution (default: each model's own).")
    private Integer imageSize;

    @Option(
            names = "--num-classes",
            defaultValue = "1000",
            description = "Classes of the head. Default: ${DEFAULT-VALUE}.")
    private int numClasses;

    @Mixin private TableOutput output;

    @Option(names = "--family", description = "Only models of this family (e.g. RepLKNet).")
    private String family;

    @Override
    public Integer call() throws java.io.IOException {
        if (imageSize != null && imageSize < 1) {
            throw new IllegalArgumentException("--image-size must be at least 1, got " + imageSize);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException(
                    "--num-classes must be at least 1, got " + numClasses);
        }
        ResultTable table = new ResultTable();
        for (String name : ModelZoo.names()) {
            ModelInfo info = ModelZoo.info(name);
            if (family != null && !info.family().equalsIgnoreCase(family)) {
                continue;
            }
            int size = imageSize == null ? info.defaultImageSize() : imageSize;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", name);
            row.put("family", info.family());
            row.put("image_size", size);
            row.put(
                    "form",
                    info.reportedOverrides().isEmpty()
                            ? "default"
                            : info.reportedOverrides().toString());
            try {
                info.checkImageSize(size);
                ModelOptions.Builder options =
                        ModelOptions.builder().imageSize(size).numClasses(numClasses);
                info.reportedOverrides().forEach(options::override);
                ImageClassifier model = ModelZoo.create(name, options.build());
                try (NDManager m = NDManager.newBaseManager()) {
                    model.initialize(m, DataType.FLOAT32, new Shape(1, 3, size, size));
                    row.put("params_m", round(ModelStats.parameterCount(model) / 1e6));
                    row.put("gflops", round(FlopCounter.count(model) / 1e9));
                }
            } catch (IllegalArgumentException e) {
                row.put("params_m", null);
                row.put("gflops", null);
                row.put("note", e.getMessage());
            }
            row.put("paper_params_m", nanToNull(info.reportedParamsM()));
            row.put("paper_gflops", nanToNull(info.reportedGflops()));
            row.put("paper_size", info.reportedImageSize());
            row.put("paper_classes", info.reportedNumClasses());
            row.put("description", info.description());
            table.add(row);
            System.err.println("  counted " + name);
        }
        if (table.rows().isEmpty() && family != null) {
            throw new IllegalArgumentException("--family: no model of family '" + family + "'");
        }
        output.print(table, null);
        return 0;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
