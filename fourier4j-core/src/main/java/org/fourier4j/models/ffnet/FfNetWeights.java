package org.fourier4j.models.ffnet;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.WeightShapes;

/** What FFNet weights (fourier4j names) decide about the configuration. */
final class FfNetWeights {

    /** A fused unit's weight, or its training form's (RepVGGDW's large branch, Conv2d_BN's). */
    private static final String[] UNIT_WEIGHT = {"weight", "conv.c.weight", "c.weight"};

    private FfNetWeights() {}

    /**
     * Reads {@code num_classes}, {@code deploy} (fused stem), {@code stem_dim}, {@code dims},
     * {@code depths}, {@code token_kernels}, {@code channel_kernels}, {@code expansion} and {@code
     * layer_scale} (its presence: 1e-6, the official value, or 0; the weights do not keep the
     * initial value).
     */
    static Map<String, Object> infer(Map<String, Shape> shapes) {
        WeightShapes w = new WeightShapes(shapes);
        Map<String, Object> out = new LinkedHashMap<>();
        if (w.numClasses() > 0) {
            out.put("num_classes", w.numClasses());
        }
        long stem = size(w, "stem.0.", 0);
        if (stem < 0) {
            return out;
        }
        out.put("deploy", w.has("stem.0.weight"));
        out.put("stem_dim", (int) stem);
        List<Integer> dims = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        List<Integer> token = new ArrayList<>();
        List<Integer> channel = new ArrayList<>();
        for (int i = 0; i < w.stages(); i++) {
            dims.add((int) size(w, i == 0 ? "stem.2." : "stages." + i + ".downsample.0.", 0));
            depths.add(w.blocks(i));
            String block = "stages." + i + ".blocks.0.";
            token.add((int) size(w, block + "token_mixer.0.main.conv1.", 2));
            channel.add((int) size(w, block + "channel_mixer.main.conv.", 2));
        }
        WeightShapes.putIfKnown(out, "dims", dims);
        WeightShapes.putIfKnown(out, "depths", depths);
        WeightShapes.putIfKnown(out, "token_kernels", token);
        WeightShapes.putIfKnown(out, "channel_kernels", channel);
        long hidden = w.size("stages.0.blocks.0.channel_mixer.main.fc1.weight", 0);
        if (hidden > 0 && dims.get(0) > 0) {
            out.put("expansion", (int) (hidden / dims.get(0)));
        }
        if (w.has("stages.0.blocks.0.channel_mixer.main.fc1.weight")) {
            out.put("layer_scale", w.anyContains(".layer_scale") ? 1e-6 : 0.0);
        }
        return out;
    }

    private static long size(WeightShapes w, String unit, int axis) {
        for (String leaf : UNIT_WEIGHT) {
            if (w.has(unit + leaf)) {
                return w.size(unit + leaf, axis);
            }
        }
        return -1;
    }
}
