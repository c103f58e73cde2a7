package org.fourier4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.WeightExporter;
import org.fourier4j.models.ModelZoo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fourier4j export}: a model's weights under its paper's names. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Writes a model's weights (a model directory from import or train) as safetensors or a"
                + " torch.save .pth with the official code's names (default where the family has"
                + " them), timm's or fourier4j's own, so that the paper's PyTorch code loads them"
                + " with load_state_dict(strict=True)."
        })
final class ExportCommand implements Callable<Integer> {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "DIR",
            description = "A model directory or training run.")
    private Path checkpoint;

    @Option(
            names = "--format",
            defaultValue = "safetensors",
            paramLabel = "safetensors|pth",
            description = "File format. Default: ${DEFAULT-VALUE}.")
    private String format;

    @Option(
            names = "--names",
            paramLabel = "official|timm|fourier4j",
            description = "Naming scheme (default: official where the family has it).")
    private String names;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "The file to write.")
    private Path out;

    @Override
    public Integer call() throws IOException {
        WeightExporter.Format f = WeightExporter.Format.parse(format);
        try (LoadedModel m = ModelDirectory.open(checkpoint)) {
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
                            + f.name().toLowerCase(java.util.Locale.ROOT)
                            + ") to "
                            + out);
        }
        return 0;
    }
}
