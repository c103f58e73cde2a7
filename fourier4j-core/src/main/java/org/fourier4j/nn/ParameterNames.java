package org.fourier4j.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fourier4j name of every parameter of a block tree: the dotted path of child names, as
 * PyTorch's {@code state_dict()} keys read, so that a family whose blocks are named as its paper's
 * code has names a reader can put beside the official ones.
 *
 * <ul>
 *   <li>DJL's ordering prefix of child names ({@code 01}, {@code 02}, ...) is dropped; the children
 *       of a DJL {@code SequentialBlock} (named after their classes) are named by position.
 *   <li>{@link Transparent} containers add no level: their children are named as their parent's
 *       (unless the container is itself an element of a numbered list, {@code blocks.3}).
 *   <li>A block whose only parameter has the block's own name is named once ({@code gamma}, not
 *       {@code gamma.gamma}), as a bare {@code nn.Parameter} of the papers' code.
 *   <li>Norm leaves take PyTorch's names: {@code gamma, beta, runningMean, runningVar} of DJL's
 *       {@code LayerNorm} and {@code BatchNorm} become {@code weight, bias, running_mean,
 *       running_var}.
 * </ul>
 */
public final class ParameterNames {

    private ParameterNames() {}

    /**
     * Names every parameter of a block.
     *
     * @param root the block (initialised or not)
     * @return fourier4j name to parameter, in DJL's parameter order
     * @throws IllegalStateException if two parameters would get the same name
     */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        walk(root, "", out);
        return out;
    }

    /**
     * The fourier4j names keyed by DJL's own parameter path ({@code Block#getParameters()} keys).
     *
     * @param root the block
     * @return DJL path to fourier4j name
     */
    public static Map<String, String> byDjlPath(Block root) {
        Map<Parameter, String> names = new java.util.IdentityHashMap<>();
        of(root).forEach((name, p) -> names.put(p, name));
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : root.getParameters()) {
            out.put(p.getKey(), names.get(p.getValue()));
        }
        return out;
    }

    private static void walk(Block block, String prefix, Map<String, Parameter> out) {
        List<Parameter> direct = block.getDirectParameters().values();
        String own = prefix.isEmpty() ? "" : prefix.substring(prefix.lastIndexOf('.') + 1);
        for (Parameter p : direct) {
            String leaf = leafName(block, p.getName());
            String name;
            if (direct.size() == 1 && leaf.equals(own) && block.getChildren().isEmpty()) {
                name = prefix;
            } else {
                name = prefix.isEmpty() ? leaf : prefix + "." + leaf;
            }
            if (out.put(name, p) != null) {
                throw new IllegalStateException("two parameters are both named '" + name + "'");
            }
        }
        ai.djl.nn.BlockList children = block.getChildren();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i).getValue();
            String childName =
                    block instanceof SequentialBlock
                            ? String.valueOf(i)
                            : childName(children.get(i).getKey(), i);
            String path;
            if (child instanceof Transparent && !childName.matches("\\d+")) {
                path = prefix;
            } else {
                path = prefix.isEmpty() ? childName : prefix + "." + childName;
            }
            walk(child, path, out);
        }
    }

    /** Drops DJL's {@code %02d} ordering prefix of the child at {@code index}. */
    static String childName(String key, int index) {
        String ordering = String.format("%02d", index + 1);
        return key.startsWith(ordering) ? key.substring(ordering.length()) : key;
    }

    private static String leafName(Block owner, String name) {
        if (owner instanceof LayerNorm || owner instanceof BatchNorm) {
            switch (name) {
                case "gamma":
                    return "weight";
                case "beta":
                    return "bias";
                case "runningMean":
                    return "running_mean";
                case "runningVar":
                    return "running_var";
                default:
                    return name;
            }
        }
        return name;
    }
}
