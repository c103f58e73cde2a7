package org.fourier4j.onnx.exporters;

import org.fourier4j.onnx.export.ExporterRegistry;

/**
 * The built-in exporters: every block class of {@code org.fourier4j.nn} and {@code
 * org.fourier4j.reparam}, the model skeleton ({@code MetaFormer}, {@code Stage}, {@code
 * ClassifierHead}), the families' own blocks, and the DJL blocks the models use. {@link
 * ExporterRegistry#standard()} starts from these.
 */
public final class StandardExporters {

    private StandardExporters() {}

    /**
     * Registers every built-in exporter.
     *
     * @param registry the registry to fill
     */
    public static void registerAll(ExporterRegistry registry) {
        DjlExporters.register(registry);
        NormExporters.register(registry);
        TransformerExporters.register(registry);
        SpectralMixerExporters.register(registry);
        ConvExporters.register(registry);
        ReparamExporters.register(registry);
        StructureExporters.register(registry);
        FamilyExporters.register(registry);
    }
}
