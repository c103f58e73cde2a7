package org.fourier4j.onnx.export;

import ai.djl.nn.Block;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The exporters known to an export, keyed by block class. A block's exporter is the one registered
 * for its class; a subclass without its own registration uses its superclass's only if it does not
 * declare a forward pass of its own ({@code forward} or {@code forwardInternal}): then it computes
 * what its superclass computes (e.g. a convolution subclass that only names its parameters
 * differently). A subclass with its own forward pass needs its own registration (see below).
 *
 * <pre>{@code
 * ExporterRegistry registry = ExporterRegistry.standard()
 *         .register(MyMixer.class, (ctx, block, x) -> ctx.ops().relu(ctx.child(block, "proj", x)));
 * OnnxExport.export(model, inputShape, OnnxExportOptions.builder().registry(registry).build(), out);
 * }</pre>
 */
public final class ExporterRegistry {

    private final Map<Class<? extends Block>, BlockExporter<?>> exporters = new LinkedHashMap<>();

    /** Creates an empty registry (see {@link #standard()} for the built-in exporters). */
    public ExporterRegistry() {}

    /**
     * Returns a new registry with the exporters of fourier4j's own blocks and of the DJL blocks its
     * models use.
     *
     * @return the registry
     */
    public static ExporterRegistry standard() {
        ExporterRegistry r = new ExporterRegistry();
        org.fourier4j.onnx.exporters.StandardExporters.registerAll(r);
        return r;
    }

    /**
     * Registers (or replaces) the exporter of one block class.
     *
     * @param type the block class (exact)
     * @param exporter its exporter
     * @param <B> the block class
     * @return this registry
     */
    public <B extends Block> ExporterRegistry register(
            Class<B> type, BlockExporter<? super B> exporter) {
        if (type == null || exporter == null) {
            throw new IllegalArgumentException("register: type and exporter must not be null");
        }
        exporters.put(type, exporter);
        return this;
    }

    /**
     * @param type a block class
     * @return whether an exporter is registered for exactly this class
     */
    public boolean supports(Class<?> type) {
        return exporters.containsKey(type);
    }

    /**
     * @return the registered classes
     */
    public Set<Class<? extends Block>> types() {
        return java.util.Collections.unmodifiableSet(exporters.keySet());
    }

    /**
     * Returns the exporter of a block: the one of its class, else of the nearest superclass, as
     * long as no class on the way declares its own forward pass.
     *
     * @param block the block
     * @param <B> its class
     * @return the exporter, or null if none applies
     */
    @SuppressWarnings("unchecked")
    <B extends Block> BlockExporter<B> find(B block) {
        for (Class<?> c = block.getClass(); c != null; c = c.getSuperclass()) {
            BlockExporter<?> exporter = exporters.get(c);
            if (exporter != null) {
                return (BlockExporter<B>) exporter;
            }
            if (declaresForward(c)) {
                return null;
            }
        }
        return null;
    }

    private static boolean declaresForward(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals("forward") || m.getName().equals("forwardInternal")) {
                return true;
            }
        }
        return false;
    }
}
