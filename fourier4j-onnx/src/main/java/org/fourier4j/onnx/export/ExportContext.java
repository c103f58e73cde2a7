package org.fourier4j.onnx.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fourier4j.onnx.OnnxExportException;
import org.fourier4j.onnx.OnnxExportOptions;
import org.fourier4j.onnx.graph.OnnxGraphBuilder;
import org.fourier4j.onnx.graph.OnnxOps;
import org.fourier4j.onnx.graph.OnnxValue;
import org.fourier4j.onnx.spectral.SpectralMethod;
import org.fourier4j.onnx.spectral.SpectralOps;

/**
 * An export in progress, as exporters see it: the graph and its operator helpers, the options, the
 * registry through which children are exported, and the path of the block being exported (for node
 * names and error messages, e.g. {@code stages.0.blocks.1.token_mixing.attn}: child names without
 * DJL's position prefixes, as in parameter names).
 */
public final class ExportContext {

    /** The path shown for the exported block itself. */
    public static final String ROOT = "(root)";

    private final OnnxOps ops;
    private final OnnxExportOptions options;
    private final NDManager manager;
    private final Map<SpectralMethod, SpectralOps> spectral = new EnumMap<>(SpectralMethod.class);
    private OnnxValue preLogits;
    private String path = "";
    private Block current;

    /**
     * Creates a context.
     *
     * @param graph the graph to write into
     * @param options the export options (with the registry)
     * @param manager a manager for arrays computed during the export (closed by the caller)
     */
    public ExportContext(OnnxGraphBuilder graph, OnnxExportOptions options, NDManager manager) {
        this.ops = new OnnxOps(graph);
        this.options = options;
        this.manager = manager;
    }

    /**
     * @return the operator helpers
     */
    public OnnxOps ops() {
        return ops;
    }

    /**
     * @return the graph
     */
    public OnnxGraphBuilder graph() {
        return ops.graph();
    }

    /**
     * @return the options
     */
    public OnnxExportOptions options() {
        return options;
    }

    /**
     * @return a manager for arrays computed during the export; they are freed when it ends
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * @return the path of the block being exported ({@value #ROOT} for the top block)
     */
    public String path() {
        return path.isEmpty() ? ROOT : path;
    }

    /**
     * Returns the transforms of one method (shared by all layers of the graph).
     *
     * @param method MATMUL or DFT
     * @return the transforms
     */
    public SpectralOps spectral(SpectralMethod method) {
        return spectral.computeIfAbsent(method, m -> SpectralOps.of(ops, m));
    }

    /**
     * Exports a block under a name (its path component) through the registry.
     *
     * @param block the block
     * @param name its name below the current block (ignored for the top block)
     * @param input its input
     * @return its output
     * @throws OnnxExportException naming the block's path and class if no exporter is registered,
     *     or if the exporter fails
     */
    public OnnxValue export(Block block, String name, OnnxValue input) {
        String parentPath = path;
        Block parent = current;
        String shown = current == null ? "" : shownName(current, name);
        path = current == null ? "" : (path.isEmpty() ? shown : path + "." + shown);
        current = block;
        String previousScope = graph().setScope(path.isEmpty() ? "root" : path);
        try {
            BlockExporter<Block> exporter = options.registry().find(block);
            if (exporter == null) {
                throw new OnnxExportException(
                        "cannot export block '"
                                + path()
                                + "' ("
                                + describe(block)
                                + "): no ONNX exporter is registered for "
                                + block.getClass().getName()
                                + " (add one with ExporterRegistry.register)");
            }
            if (!block.isInitialized()) {
                throw new OnnxExportException(
                        "cannot export block '"
                                + path()
                                + "' ("
                                + describe(block)
                                + "): it is not initialised");
            }
            try {
                return exporter.export(this, block, input);
            } catch (OnnxExportException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new OnnxExportException(
                        "cannot export block '"
                                + path()
                                + "' ("
                                + describe(block)
                                + "): "
                                + (e.getMessage() != null ? e.getMessage() : e.toString()),
                        e);
            }
        } finally {
            graph().setScope(previousScope);
            path = parentPath;
            current = parent;
        }
    }

    /**
     * Exports a named child of a block.
     *
     * @param parent the block
     * @param name the child's name as given to {@code addChildBlock} (DJL stores it with a
     *     two-digit position prefix, e.g. {@code 02mixer}; both forms are accepted)
     * @param input the child's input
     * @return the child's output
     */
    public OnnxValue child(Block parent, String name, OnnxValue input) {
        String key = requiredChildKey(parent, name);
        return export(parent.getChildren().get(key), key, input);
    }

    /**
     * Returns a named child of a block.
     *
     * @param parent the block
     * @param name the child's name (with or without DJL's position prefix)
     * @return the child
     * @throws OnnxExportException if there is no such child
     */
    public Block childBlock(Block parent, String name) {
        return parent.getChildren().get(requiredChildKey(parent, name));
    }

    /** The key of a named child, or an {@link OnnxExportException} listing the children. */
    private String requiredChildKey(Block parent, String name) {
        String key = childKey(parent, name);
        if (key == null) {
            throw unsupported(
                    "child '" + name + "'",
                    "the block has no child of that name; children: "
                            + parent.getChildren().keys());
        }
        return key;
    }

    /**
     * @param parent the block
     * @param name a child's name (with or without DJL's position prefix)
     * @return whether the block has that child
     */
    public boolean hasChild(Block parent, String name) {
        return childKey(parent, name) != null;
    }

    /**
     * A child's name in paths, as in parameter names: its key without DJL's {@code %02d} position
     * prefix, or its position in a {@code SequentialBlock} (whose keys are class names).
     */
    private static String shownName(Block parent, String key) {
        List<String> keys = parent.getChildren().keys();
        int index = keys.indexOf(key);
        if (index < 0) {
            return key;
        }
        if (parent instanceof SequentialBlock) {
            return String.valueOf(index);
        }
        String ordering = String.format(Locale.ROOT, "%02d", index + 1);
        return key.length() > 2 && key.startsWith(ordering) ? key.substring(2) : key;
    }

    /** The key of a child named {@code name} or {@code NNname}, or null. */
    private static String childKey(Block parent, String name) {
        for (String key : parent.getChildren().keys()) {
            if (key.equals(name)
                    || (key.length() == name.length() + 2
                            && key.endsWith(name)
                            && Character.isDigit(key.charAt(0))
                            && Character.isDigit(key.charAt(1)))) {
                return key;
            }
        }
        return null;
    }

    /**
     * Returns a block's own parameter's array.
     *
     * @param block the block
     * @param name the parameter's name
     * @return its array (owned by the block: do not close)
     */
    public NDArray parameter(Block block, String name) {
        Parameter p = block.getDirectParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw unsupported(
                    "parameter '" + name + "'",
                    "the block has no initialised parameter of that name");
        }
        return p.getArray();
    }

    /**
     * Adds a block's parameter as an initializer.
     *
     * @param block the block
     * @param name the parameter's name
     * @return the initializer
     */
    public OnnxValue parameterConstant(Block block, String name) {
        return graph().constant(name, parameter(block, name));
    }

    /**
     * Returns the error for a configuration that cannot be exported, naming the current block's
     * path and class and the operator or feature.
     *
     * @param operator the operator or feature, e.g. {@code Pad(mode=wrap)}
     * @param reason why it cannot be exported
     * @return the exception, to throw
     */
    public OnnxExportException unsupported(String operator, String reason) {
        return new OnnxExportException(
                "cannot export block '"
                        + path()
                        + "' ("
                        + (current == null ? "?" : describe(current))
                        + "): "
                        + operator
                        + ": "
                        + reason);
    }

    private static String describe(Block block) {
        if (block instanceof LambdaBlock) {
            return "LambdaBlock '" + ((LambdaBlock) block).getName() + "'";
        }
        return block.getClass().getSimpleName().isEmpty()
                ? block.getClass().getName()
                : block.getClass().getSimpleName();
    }

    /**
     * Records a classifier's pre-logits (its head's input to the final linear layer), which the
     * export adds as an output when its options ask for it.
     *
     * @param value the pre-logits (B, D)
     */
    public void preLogits(OnnxValue value) {
        this.preLogits = value;
    }

    /**
     * @return the pre-logits recorded by a classifier head, or null
     */
    public OnnxValue preLogits() {
        return preLogits;
    }
}
