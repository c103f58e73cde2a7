package org.fourier4j.models.replknet;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.WeightShapes;

/** What RepLKNet weights (fourier4j names) decide about the configuration. */
final class RepLkNetWeights {

    private RepLkNetWeights() {}

    /**
     * Reads {@code num_classes}, {@code deploy} ({@code lkb_reparam} present), {@code channels},
     * {@code layers}, {@code large_kernels}, {@code dw_ratio} and, in the training form, {@code
     * small_kernel} (0 without {@code small_conv}; a merged form does not tell it).
     */
    static Map<String, Object> infer(Map<String, Shape> shapes) {
        WeightShapes w = new WeightShapes(shapes);
        Map<String, Object> out = new LinkedHashMap<>();
        if (w.numClasses() > 0) {
            out.put("num_classes", w.numClasses());
        }
        if (!w.has("stem.0.conv.weight")) {
            return out;
        }
        boolean deploy = w.anyContains(".large_kernel.lkb_reparam.");
        out.put("deploy", deploy);
        List<Integer> channels = new ArrayList<>();
        List<Integer> layers = new ArrayList<>();
        List<Integer> kernels = new ArrayList<>();
        for (int i = 0; i < w.stages(); i++) {
            String width =
                    i == 0 ? "stem.0.conv.weight" : "stages." + i + ".downsample.0.conv.weight";
            channels.add((int) w.size(width, 0));
            layers.add((w.blocks(i) + 1) / 2);
            String unit = "stages." + i + ".blocks.0.large_kernel.";
            kernels.add(
                    (int)
                            w.size(
                                    unit
                                            + (deploy
                                                    ? "lkb_reparam.weight"
                                                    : "lkb_origin.conv.weight"),
                                    2));
        }
        WeightShapes.putIfKnown(out, "channels", channels);
        WeightShapes.putIfKnown(out, "layers", layers);
        WeightShapes.putIfKnown(out, "large_kernels", kernels);
        String first = "stages.0.blocks.0.";
        long dw = w.size(first + "pw1.conv.weight", 0);
        if (dw > 0 && channels.get(0) > 0) {
            out.put("dw_ratio", (double) dw / channels.get(0));
        }
        if (!deploy && w.has(first + "large_kernel.lkb_origin.conv.weight")) {
            String small = first + "large_kernel.small_conv.conv.weight";
            out.put("small_kernel", w.has(small) ? (int) w.size(small, 2) : 0);
        }
        return out;
    }
}
