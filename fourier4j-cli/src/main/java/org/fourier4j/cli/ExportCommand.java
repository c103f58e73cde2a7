package org.fourier4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.WeightExporter;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.onnx.OnnxExport;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fourier4j export}: a model's weights under its paper's names, or the model as ONNX. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes a model (a model directory from import or train) as safetensors or a torch.save"
                + " .pth with the official code's names (default where the family has them), timm's"
                + " or fourier4j's own, so that the paper's PyTorch code loads them with"
                + " load_state_dict(strict=True); or as an ONNX graph in its inference form"
                + " (--format onnx), Fourier layers in standard operators: input 'input' (N, C, H,"
                + " W), output 'logits', the card's preprocessing and class names as metadata."
        })
final class ExportCommand implements Callable<Integer> {

    @Mixin private ModelDirectoryOption modelDir;

    @Option(
            names = "--format",
            defaultValue = "safetensors",
            paramLabel = "safetensors|pth|onnx",
            description = "File format. Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(
            names = "--names",
            paramLabel = "official|timm|fourier4j",
            description =
                    "Naming scheme of weight files (default: official where the family has it).")
    private String names;

    @Option(
            names = "--opset",
            paramLabel = "N",
            description = "ONNX opset, 17 to 21 (default 17). Only with --format onnx.")
    private Integer opset;

    @Option(
            names = "--batch",
            paramLabel = "dynamic|N",
            description =
                    "ONNX batch axis: symbolic (dynamic, the default) or fixed to N. Only with"
                            + " --format onnx.")
    private String batch;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description =
                    "Image size the ONNX graph takes (default: the model's). Only with --format"
                            + " onnx.")
    private Integer imageSize;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "The file to write.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        boolean onnx = "onnx".equalsIgnoreCase(format.trim());
        if (onnx) {
            if (names != null) {
                throw new IllegalArgumentException(
                        "--names is for weight files; an ONNX graph has no parameter names to"
                                + " choose");
            }
            return exportOnnx(onnxOptions());
        }
        if (opset != null || batch != null || imageSize != null) {
            throw new IllegalArgumentException(
                    "--opset, --batch and --image-size are for --format onnx, not " + format);
        }
        WeightExporter.Format f = WeightExporter.Format.parse(format);
        try (LoadedModel m = modelDir.open()) {
            String scheme = names;
            if (scheme == null) {
                scheme =
                        ModelZoo.family(m.card().model()).nameMaps().containsKey("official")
                                ? "official"
                                : "fourier4j";
            }
            WeightExporter.export(m, out, f, scheme);
            System.out.println(
                    "exported "
                            + m.card().model()
                            + " ("
                            + scheme
                            + " names, "
                            + f.name().toLowerCase(Locale.ROOT)
                            + ") to "
                            + out);
        }
        return 0;
    }

    /** The options of --opset and --batch, checked before the model is opened. */
    private OnnxExportOptions.Builder onnxOptions() {
        OnnxExportOptions.Builder b = OnnxExportOptions.builder();
        if (opset != null) {
            try {
                b.opset(opset); // the range is the builder's
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + e.getMessage(), e);
            }
        }
        if (batch != null && !batch.trim().equalsIgnoreCase("dynamic")) {
            int n;
            try {
                n = Integer.parseInt(batch.trim());
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                throw new IllegalArgumentException(
                        "--batch must be dynamic or a positive number, got '" + batch + "'");
            }
            b.fixedBatch(n);
        }
        if (imageSize != null && imageSize < 1) {
            throw new IllegalArgumentException("--image-size must be positive, got " + imageSize);
        }
        return b;
    }

    private int exportOnnx(OnnxExportOptions.Builder options) throws IOException {
        try (LoadedModel m = modelDir.open()) {
            ImageClassifier model = m.model();
            int size = imageSize != null ? imageSize : m.card().imageSize();
            if (imageSize != null) {
                // the zoo checks the size against the model's configuration, naming what works
                ModelOptions.Builder sized =
                        ModelOptions.builder()
                                .imageSize(size)
                                .numClasses(m.card().numClasses())
                                .inChannels(m.card().inChannels());
                m.card().overrides().forEach(sized::override);
                ModelZoo.create(m.card().model(), sized.build());
            }
            OnnxCardMetadata.of(m.card(), size).forEach(options::metadata);
            OnnxExportOptions built = options.build();
            ModelProto written = OnnxExport.export(model, size, size, built, out);
            System.out.println(
                    "exported "
                            + m.card().model()
                            + " (ONNX opset "
                            + written.getOpsetImport(0).getVersion()
                            + ", "
                            + written.getGraph().getNodeCount()
                            + " nodes, input ("
                            + (built.dynamicBatch() ? "batch" : built.fixedBatch())
                            + ", "
                            + m.card().inChannels()
                            + ", "
                            + size
                            + ", "
                            + size
                            + ")) to "
                            + out);
        }
        return 0;
    }
}
