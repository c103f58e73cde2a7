package org.fourier4j.models.replknet;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fourier4j.models.WeightShapes;

/** What RepLKNet weights (fourier4j names) decide about the configuration. */
final class RepLkNetWeights {

    private RepLkNetWeights() {}

    /**
     * Reads {@code num_classes}, {@code deploy} ({@code lkb_reparam} present), {@code channels},
     * {@code layers}, {@code large_kernels}, {@code dw_ratio}, {@code ffn_ratio} and, in the
     * training form, {@code small_kernel} (0 without {@code small_conv}; the merged form does not
     * tell it). A stage's blocks alternate: RepLK blocks at even indices, ConvFFNs at odd ones.
     */
    static Map<String, Object> infer(Map<String, Shape> shapes) {
        Map<String, Object> out = WeightShapes.classes(shapes);
        int[] channels = WeightShapes.widths(shapes, "prelkb_bn.weight");
        if (channels.length == 0) {
            return out;
        }
        boolean deploy = shapes.containsKey(unit(0, 0) + "lkb_reparam.weight");
        String large = deploy ? "lkb_reparam.weight" : "lkb_origin.conv.weight";
        List<Integer> layers = new ArrayList<>();
        List<Integer> kernels = new ArrayList<>();
        for (int s = 0; s < channels.length; s++) {
            int pairs = 0;
            while (shapes.containsKey(block(s, 2 * pairs) + "prelkb_bn.weight")) {
                pairs++;
            }
            layers.add(pairs);
            Shape k = shapes.get(unit(s, 0) + large);
            kernels.add(k == null ? -1 : (int) k.get(2));
        }
        out.put("deploy", deploy);
        out.put("channels", Arrays.stream(channels).boxed().toList());
        out.put("layers", layers);
        if (!kernels.contains(-1)) {
            out.put("large_kernels", kernels);
        }
        Shape pw1 = shapes.get(block(0, 0) + "pw1.conv.weight");
        if (pw1 != null) {
            // as a float, like the configuration's dw_ratio, so that the two compare equal
            out.put("dw_ratio", (float) pw1.get(0) / channels[0]);
        }
        Shape ffn = shapes.get(block(0, 1) + "pw1.conv.weight");
        if (ffn != null && ffn.get(0) % channels[0] == 0) {
            out.put("ffn_ratio", Math.toIntExact(ffn.get(0) / channels[0]));
        }
        if (!deploy) {
            Shape small = shapes.get(unit(0, 0) + "small_conv.conv.weight");
            out.put("small_kernel", small == null ? 0 : (int) small.get(2));
        }
        return out;
    }

    private static String block(int stage, int block) {
        return "stages." + stage + ".blocks." + block + ".";
    }

    private static String unit(int stage, int block) {
        return block(stage, block) + "large_kernel.";
    }
}
