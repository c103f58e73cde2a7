package org.fourier4j.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.fourier4j.fft.Timing;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.AdditiveTokenMixer;
import org.fourier4j.nn.DynamicFilter;
import org.fourier4j.nn.FfnifiedAttention;
import org.fourier4j.nn.FourierMixer;
import org.fourier4j.nn.GlobalFilter;
import org.fourier4j.nn.MultiHeadSelfAttention;
import org.fourier4j.nn.S4dKernel;
import org.fourier4j.nn.SgConvKernel;
import org.fourier4j.nn.SpectrumMixer;

/**
 * Token mixers timed side by side as the token count grows: the N log N and linear mixers against
 * attention's N^2.
 *
 * <p>Every mixer is built for every token count N (width D, batch B); each pair runs once, in
 * ascending sizes (a warm-up run, timed for the DNF rule below), then all pairs run in interleaved
 * rounds after the remaining warm-up (see {@link Timing#interleavedMedians}) and the median is
 * reported: load from other processes falls on every mixer and size alike. Inference mode times a
 * forward pass with no gradient recorded ({@link FfnifiedAttention} in its merged inference form);
 * training mode times forward plus backward of {@code sum(y)} to the input and all parameters
 * (FfnifiedAttention with its training branches, BatchNorm on batch statistics). Each run allocates
 * in its own scope, closed after the run.
 *
 * <p>Token counts and grids: sequence mixers take (B, N, D); grid mixers take the N tokens as an H
 * x W grid with H the largest divisor of N not above sqrt(N) and W = N / H (4096 = 64 x 64, 2048 =
 * 32 x 64). Counts whose grid would be more elongated than 1:4 (e.g. primes) are rejected.
 *
 * <p>A mixer is not run (DNF) at a size when one run is predicted to exceed the time limit (its
 * previous size's time scaled by (N/N_prev)^2 for attention, (N/N_prev)^1.25 for the N log N and
 * linear mixers), when its first run there did exceed it, or - attention - when its (heads, N, N)
 * score and softmax maps would exceed the memory limit. Once DNF, a mixer skips the larger sizes
 * too. (A native call cannot be interrupted: the limit guards by prediction, then by the first
 * run.)
 *
 * <p>Per mixer and mode the result has the median ms per token count and the least-squares slope of
 * log(ms) against log(N) over the counts between 1,024 and 16,384 (at least two measured).
 */
public final class MixerBenchmark {

    /** Lowest and highest token counts of the fitted slope. */
    public static final int FIT_FROM = 1024;

    /** Highest token count of the fitted slope. */
    public static final int FIT_TO = 16384;

    /** How a mixer takes its tokens. */
    public enum Layout {
        /** (B, N, D). */
        SEQUENCE("(B, N, D)"),
        /** (B, H, W, C). */
        GRID_CHANNELS_LAST("(B, H, W, C)"),
        /** (B, C, H, W). */
        GRID_CHANNELS_FIRST("(B, C, H, W)");

        private final String text;

        Layout(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The mixers, in table order. */
    public enum Mixer {
        FOURIER_MIXER("FourierMixer", Layout.SEQUENCE),
        GLOBAL_FILTER("GlobalFilter", Layout.GRID_CHANNELS_LAST),
        DYNAMIC_FILTER("DynamicFilter", Layout.GRID_CHANNELS_LAST),
        ADAPTIVE_FREQUENCY_FILTER("AdaptiveFrequencyFilter", Layout.GRID_CHANNELS_FIRST),
        SPECTRUM_MIXER("SpectrumMixer", Layout.GRID_CHANNELS_FIRST),
        FFNIFIED_ATTENTION("FfnifiedAttention", Layout.GRID_CHANNELS_FIRST),
        ADDITIVE_TOKEN_MIXER("AdditiveTokenMixer", Layout.GRID_CHANNELS_FIRST),
        SGCONV_2D("SgConvKernel(2d)", Layout.GRID_CHANNELS_FIRST),
        S4D_2D("S4dKernel(2d)", Layout.GRID_CHANNELS_FIRST),
        MULTI_HEAD_SELF_ATTENTION("MultiHeadSelfAttention", Layout.SEQUENCE);

        private final String label;
        private final Layout layout;

        Mixer(String label, Layout layout) {
            this.label = label;
            this.layout = layout;
        }

        /**
         * @return the name in the table
         */
        public String label() {
            return label;
        }

        /**
         * @return the input layout
         */
        public Layout layout() {
            return layout;
        }

        /**
         * Returns the mixer whose label (case-insensitive) is {@code name}.
         *
         * @param name a label such as GlobalFilter
         * @return the mixer
         */
        public static Mixer byLabel(String name) {
            for (Mixer m : values()) {
                if (m.label.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            List<String> labels = new ArrayList<>();
            for (Mixer m : values()) {
                labels.add(m.label);
            }
            throw new IllegalArgumentException(
                    "unknown mixer '" + name + "': use " + String.join(", ", labels));
        }

        Shape inputShape(int batch, int dim, Grid g) {
            switch (layout) {
                case SEQUENCE:
                    return new Shape(batch, g.tokens(), dim);
                case GRID_CHANNELS_LAST:
                    return new Shape(batch, g.height(), g.width(), dim);
                default:
                    return new Shape(batch, dim, g.height(), g.width());
            }
        }

        Block build(int dim, Grid g) {
            switch (this) {
                case FOURIER_MIXER:
                    return FourierMixer.builder().build();
                case GLOBAL_FILTER:
                    return GlobalFilter.builder().build();
                case DYNAMIC_FILTER:
                    return DynamicFilter.builder().setChannels(dim).build();
                case ADAPTIVE_FREQUENCY_FILTER:
                    return AdaptiveFrequencyFilter.builder().optGroups(groups(dim)).build();
                case SPECTRUM_MIXER:
                    return SpectrumMixer.builder()
                            .setChannels(dim)
                            .optBands(Math.min(8, bands(g)))
                            .build();
                case FFNIFIED_ATTENTION:
                    return FfnifiedAttention.builder().setChannels(dim).build();
                case ADDITIVE_TOKEN_MIXER:
                    return AdditiveTokenMixer.builder().setChannels(dim).build();
                case SGCONV_2D:
                    return SgConvKernel.builder()
                            .setChannels(dim)
                            .optDims(2)
                            .setMaxLength(Math.max(g.height(), g.width()))
                            .build();
                case S4D_2D:
                    return S4dKernel.builder().setChannels(dim).optDims(2).build();
                default:
                    return MultiHeadSelfAttention.builder().setHiddenSize(dim).build();
            }
        }

        /** AFFNet's 8 groups when they divide the width, else the largest divisor below 8. */
        private static int groups(int dim) {
            for (int gr = 8; gr > 1; gr--) {
                if (dim % gr == 0) {
                    return gr;
                }
            }
            return 1;
        }

        /** Tiny grids cannot populate 8 bands; use as many as their smaller side allows (>= 2). */
        private static int bands(Grid g) {
            return Math.max(2, Math.min(g.height(), g.width()));
        }
    }

    /**
     * A token count laid out as an H x W grid.
     *
     * @param tokens N = H W
     * @param height H (the smaller side)
     * @param width W
     */
    public record Grid(int tokens, int height, int width) {

        /**
         * Returns the squarest grid of {@code tokens} tokens.
         *
         * @param tokens N, positive
         * @return H x W with H the largest divisor of N not above sqrt(N)
         * @throws IllegalArgumentException if that grid is more elongated than 1:4
         */
        public static Grid of(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("--tokens must be positive, got " + tokens);
            }
            int h = (int) Math.floor(Math.sqrt(tokens));
            while (tokens % h != 0) {
                h--;
            }
            int w = tokens / h;
            if (w > 4L * h) {
                throw new IllegalArgumentException(
                        "--tokens "
                                + tokens
                                + " has no H x W grid with sides within 1:4 (squarest: "
                                + h
                                + "x"
                                + w
                                + "); use a count such as 1024 (32x32) or 2048 (32x64)");
            }
            return new Grid(tokens, h, w);
        }

        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    /** Benchmark settings. */
    public static final class Settings {
        /** Token counts, ascending. */
        public int[] tokens = {64, 256, 1024, 4096, 16384};

        /** Width D (channels). */
        public int dim = 192;

        /** Batch size. */
        public int batch = 1;

        /** Time forward passes without gradient. */
        public boolean inference = true;

        /** Time forward plus backward passes. */
        public boolean training;

        /** Untimed runs per mixer and size. */
        public int warmup = 2;

        /** Timed interleaved rounds. */
        public int repeats = 7;

        /** A run predicted or found to take longer is not (further) timed: DNF. */
        public double timeoutSeconds = 20;

        /** Attention maps estimated above this are not attempted: DNF. */
        public double maxMemoryGb = 4;

        /** Which mixers, in table order. */
        public List<Mixer> mixers = List.of(Mixer.values());
    }

    private MixerBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param s the settings
     * @param progress receives one line per finished size (may be null)
     * @return one row per mixer and mode
     */
    public static ResultTable run(Settings s, Consumer<String> progress) {
        List<Grid> grids = new ArrayList<>();
        for (int n : s.tokens) {
            grids.add(Grid.of(n));
        }
        ResultTable table = new ResultTable();
        List<Boolean> modes = new ArrayList<>();
        if (s.inference) {
            modes.add(false);
        }
        if (s.training) {
            modes.add(true);
        }
        for (boolean training : modes) {
            Map<Mixer, MixerTiming.Series> series = new EnumMap<>(Mixer.class);
            for (Mixer m : s.mixers) {
                series.put(m, new MixerTiming.Series());
            }
            MixerTiming.measure(s, grids, training, series, progress);
            for (Mixer m : s.mixers) {
                table.add(MixerTable.row(m, training, grids, series));
            }
        }
        return table;
    }
}
