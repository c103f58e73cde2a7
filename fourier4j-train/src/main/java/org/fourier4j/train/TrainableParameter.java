package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.nn.ParameterNames;

/**
 * A parameter the optimiser updates, with its weight-decay group.
 *
 * <p>The no-decay rule: a parameter gets no weight decay if it is a bias or a normalisation scale
 * or shift (DJL type {@code BIAS}, {@code GAMMA} or {@code BETA}), if it has fewer than 2
 * dimensions (biases, norm weights, per-channel scales such as layer scale), or if its name
 * contains one of the {@code no_decay_keywords} (default {@code pos_embed, position, cls_token,
 * dist_token}: position embeddings and class tokens, which are 2-D or 3-D but are not weights of a
 * linear map). Everything else (linear and convolution weights, embeddings of patches) decays. This
 * is timm's rule ({@code ndim <= 1 or name in no_weight_decay()}).
 *
 * @param name the parameter's fourier4j name ({@code stages.0.blocks.1.mlp.fc1.weight})
 * @param parameter the DJL parameter
 * @param decay whether weight decay applies
 */
public record TrainableParameter(String name, Parameter parameter, boolean decay) {

    /**
     * @return the parameter's value array
     */
    public NDArray array() {
        return parameter.getArray();
    }

    /**
     * Decides the weight-decay group of a parameter.
     *
     * @param name its path name
     * @param p the parameter (initialised)
     * @param noDecayKeywords name fragments that exclude decay (case-insensitive)
     * @return true if weight decay applies
     */
    public static boolean decays(String name, Parameter p, List<String> noDecayKeywords) {
        Parameter.Type t = p.getType();
        if (t == Parameter.Type.BIAS || t == Parameter.Type.GAMMA || t == Parameter.Type.BETA) {
            return false;
        }
        if (p.getArray().getShape().dimension() < 2) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (String k : noDecayKeywords) {
            if (lower.contains(k.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The trainable parameters of an initialised block (those that require gradients), each with
     * its decay group.
     *
     * @param block the model
     * @param noDecayKeywords name fragments that exclude decay
     * @return in the block's parameter order
     */
    public static List<TrainableParameter> of(Block block, List<String> noDecayKeywords) {
        List<TrainableParameter> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
            Parameter param = p.getValue();
            if (param.requiresGradient()) {
                out.add(
                        new TrainableParameter(
                                p.getKey(), param, decays(p.getKey(), param, noDecayKeywords)));
            }
        }
        return out;
    }
}
