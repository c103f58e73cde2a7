package org.fourier4j.inference;

import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.io.Safetensors;
import org.fourier4j.io.TensorData;
import org.fourier4j.io.TorchCheckpoint;
import org.fourier4j.models.ModelZoo;
import org.fourier4j.models.NameMap;
import org.fourier4j.nn.ParameterNames;

/**
 * Writes a model's weights under a family's published names, as safetensors or as a {@code
 * torch.save} file, so that a model trained or fine-tuned here loads into the paper's PyTorch code
 * ({@code model.load_state_dict(torch.load(path))}). Leaves the scheme has but fourier4j does not
 * ({@code num_batches_tracked}) are written as int64 zeros, so strict loading in PyTorch succeeds.
 */
public final class WeightExporter {

    /** The file format. */
    public enum Format {
        /** safetensors. */
        SAFETENSORS,
        /** PyTorch's {@code torch.save} zip. */
        PTH;

        /**
         * Parses {@code safetensors} or {@code pth}.
         *
         * @param s the text
         * @return the format
         */
        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--format must be safetensors, pth or onnx, got '" + s + "'");
            }
        }
    }

    private WeightExporter() {}

    /**
     * The model's tensors under a scheme's names, in the model's parameter order.
     *
     * @param model the opened model
     * @param scheme fourier4j, official or timm
     * @return the tensors to write
     */
    public static List<TensorData> tensors(LoadedModel model, String scheme) {
        NameMap map = NameSchemes.get(ModelZoo.family(model.card().model()), scheme);
        List<TensorData> out = new ArrayList<>();
        Map<String, Parameter> params = ParameterNames.of(model.model());
        for (Map.Entry<String, Parameter> p : params.entrySet()) {
            String theirs = map.fromFourier4j(p.getKey());
            out.add(TensorData.of(theirs, p.getValue().getArray()));
            if (p.getKey().endsWith(".running_var")
                    && map.skipped().contains("num_batches_tracked")) {
                String prefix = theirs.substring(0, theirs.length() - "running_var".length());
                out.add(TensorData.of(prefix + "num_batches_tracked", new long[] {0}));
            }
        }
        return out;
    }

    /**
     * Writes the weights.
     *
     * @param model the opened model
     * @param out the file to write (atomically)
     * @param format safetensors or pth
     * @param scheme fourier4j, official or timm
     * @throws IOException on a write error
     */
    public static void export(LoadedModel model, Path out, Format format, String scheme)
            throws IOException {
        List<TensorData> tensors = tensors(model, scheme);
        if (format == Format.PTH) {
            TorchCheckpoint.write(out, tensors);
        } else {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("fourier4j.model", model.card().model());
            meta.put("fourier4j.names", scheme);
            Safetensors.write(out, tensors, meta);
        }
    }
}
