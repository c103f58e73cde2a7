package org.fourier4j.models.ffnet;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.WeightShapes;

/** What FFNet weights (fourier4j names) decide about the configuration. */
final class FfNetWeights {

    /** A fused unit's weight, or its training form's (RepVGGDW's large branch, Conv2d_BN's). */
    private static final String[] UNIT_WEIGHT = {"weight", "conv.c.weight", "c.weight"};

    /** The official initial layer scale of FFNet-3/4, standing for "there is one". */
    private static final float LAYER_SCALE = 1e-6f;

    private FfNetWeights() {}

    /**
     * Reads {@code num_classes}, {@code deploy} (a fused stem), {@code stem_dim}, {@code dims},
     * {@code depths}, {@code token_kernels}, {@code channel_kernels}, {@code expansion} and {@code
     * layer_scale} (only whether there is one: 1e-6, the official value, or 0; the weights do not
     * keep the initial value).
     */
    static Map<String, Object> infer(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classes(shapes);
        String fc2 = "channel_mixer.main.fc2.bias";
        int[] dims = WeightShapes.widths(shapes, fc2);
        long stem = size(shapes, "stem.0.", 0);
        if (dims.length == 0 || stem < 0) {
            return out;
        }
        List<Integer> token = new ArrayList<>();
        List<Integer> channel = new ArrayList<>();
        for (int s = 0; s < dims.length; s++) {
            String block = "stages." + s + ".blocks.0.";
            token.add((int) size(shapes, block + "token_mixer.0.main.conv1.", 2));
            channel.add((int) size(shapes, block + "channel_mixer.main.conv.", 2));
        }
        out.put("deploy", shapes.containsKey("stem.0.weight"));
        out.put("stem_dim", (int) stem);
        out.put("dims", Arrays.stream(dims).boxed().toList());
        out.put("depths", Arrays.stream(WeightShapes.depths(shapes, fc2)).boxed().toList());
        if (!token.contains(-1) && !channel.contains(-1)) {
            out.put("token_kernels", token);
            out.put("channel_kernels", channel);
        }
        Shape fc1 = shapes.get("stages.0.blocks.0.channel_mixer.main.fc1.weight");
        if (fc1 != null) {
            out.put("expansion", (int) (fc1.get(0) / dims[0]));
        }
        boolean scaled = shapes.containsKey("stages.0.blocks.0.channel_mixer.layer_scale");
        out.put("layer_scale", scaled ? LAYER_SCALE : 0f);
        return out;
    }

    private static long size(Map<String, Shape> shapes, String unit, int axis) {
        for (String leaf : UNIT_WEIGHT) {
            Shape s = shapes.get(unit + leaf);
            if (s != null) {
                return s.get(axis);
            }
        }
        return -1;
    }
}
