package org.fourier4j.models.affnet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import org.fourier4j.nn.Act;
import org.fourier4j.nn.AdaptiveFrequencyFilter;
import org.fourier4j.nn.ChannelNorm;

/**
 * An AFFNet configuration (ml-cvnets {@code model.classification.affnet.mode} and the global
 * options the released code reads).
 *
 * @param channels output widths of {@code layer_1} ... {@code layer_5}
 * @param mv2Blocks MobileNetV2 blocks of {@code layer_1} and {@code layer_2}
 * @param affBlocks AFF layers in the AFF blocks of {@code layer_3} ... {@code layer_5}
 * @param mv2Expand expansion of the MobileNetV2 blocks (2 for AFFNet-ET, 4 otherwise)
 * @param groups channel groups of the AFF mask MLP ({@code num_blocks}, 8); divides the AFF widths
 * @param activation the global activation, also the AFF mask MLP's ({@code model.activation.name})
 * @param norm the norm of the AFF layers and blocks ({@code
 *     model.classification.affnet.attn_norm_layer})
 */
public record AffNetConfig(
        int[] channels,
        int[] mv2Blocks,
        int[] affBlocks,
        int mv2Expand,
        int groups,
        Activation activation,
        Norm norm) {

    /** The global activation, by ml-cvnets' names. */
    public enum Activation {
        /** ReLU, the code's fallback. */
        RELU(Act.Kind.RELU, AdaptiveFrequencyFilter.MaskActivation.RELU),
        /** SiLU, x sigmoid(x) ({@code swish}): the ml-cvnets MobileViT recipes (our default). */
        SWISH(Act.Kind.SILU, AdaptiveFrequencyFilter.MaskActivation.SILU),
        /** Exact GELU. */
        GELU(Act.Kind.GELU, AdaptiveFrequencyFilter.MaskActivation.GELU);

        final Act.Kind kind;
        final AdaptiveFrequencyFilter.MaskActivation mask;

        Activation(Act.Kind kind, AdaptiveFrequencyFilter.MaskActivation mask) {
            this.kind = kind;
            this.mask = mask;
        }

        /**
         * @return the override value, ml-cvnets' name
         */
        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses an override value.
         *
         * @param v relu, swish (or silu) or gelu
         * @return the activation
         */
        @JsonCreator
        public static Activation parse(String v) {
            String k = v.trim().toLowerCase(Locale.ROOT);
            for (Activation a : values()) {
                if (a.value().equals(k) || (a == SWISH && k.equals("silu"))) {
                    return a;
                }
            }
            throw new IllegalArgumentException(
                    "override 'activation' must be relu, swish or gelu, got '" + v + "'");
        }
    }

    /** The norm of the AFF layers, by ml-cvnets' names (which the override takes). */
    public enum Norm {
        /**
         * ml-cvnets {@code layer_norm_2d}: GroupNorm with one group over (C, H, W), the value the
         * code falls back to (our default).
         */
        GROUP_NORM_1("layer_norm_2d", ChannelNorm.Kind.GROUP_NORM_1),
        /** ml-cvnets {@code layer_norm}: per pixel over C, eps added to the standard deviation. */
        LAYER_NORM("layer_norm", ChannelNorm.Kind.LAYER_NORM);

        private final String cvnets;
        final ChannelNorm.Kind kind;

        Norm(String cvnets, ChannelNorm.Kind kind) {
            this.cvnets = cvnets;
            this.kind = kind;
        }

        /**
         * @return the override value, ml-cvnets' name
         */
        @JsonValue
        public String value() {
            return cvnets;
        }

        /**
         * Parses an override value.
         *
         * @param v ml-cvnets' name ({@code layer_norm_2d}, {@code layer_norm}) or ours ({@code
         *     group_norm_1})
         * @return the norm
         */
        @JsonCreator
        public static Norm parse(String v) {
            String k = v.trim().toLowerCase(Locale.ROOT);
            for (Norm n : values()) {
                if (n.cvnets.equals(k) || n.name().toLowerCase(Locale.ROOT).equals(k)) {
                    return n;
                }
            }
            throw new IllegalArgumentException(
                    "override 'norm' must be layer_norm_2d (GroupNorm with one group) or"
                            + " layer_norm, got '"
                            + v
                            + "'");
        }
    }

    /** Checks the values. */
    public AffNetConfig {
        if (channels == null
                || mv2Blocks == null
                || affBlocks == null
                || channels.length != 5
                || mv2Blocks.length != 2
                || affBlocks.length != 3) {
            throw new IllegalArgumentException(
                    "AFFNet: channels needs 5 entries, mv2_blocks 2, aff_blocks 3, got "
                            + Arrays.toString(channels)
                            + ", "
                            + Arrays.toString(mv2Blocks)
                            + ", "
                            + Arrays.toString(affBlocks));
        }
        for (int[] a : new int[][] {channels, mv2Blocks, affBlocks}) {
            for (int v : a) {
                if (v < 1) {
                    throw new IllegalArgumentException(
                            "AFFNet: widths and block counts must be positive, got "
                                    + Arrays.toString(a));
                }
            }
        }
        if (mv2Expand < 1 || groups < 1) {
            throw new IllegalArgumentException(
                    "AFFNet: mv2_expand and groups must be positive, got "
                            + mv2Expand
                            + ", "
                            + groups);
        }
        for (int i = 2; i < 5; i++) {
            if (channels[i] % groups != 0) {
                throw new IllegalArgumentException(
                        "AFFNet: groups="
                                + groups
                                + " must divide the AFF widths "
                                + Arrays.toString(Arrays.copyOfRange(channels, 2, 5)));
            }
        }
        channels = channels.clone();
        mv2Blocks = mv2Blocks.clone();
        affBlocks = affBlocks.clone();
        activation = activation == null ? Activation.SWISH : activation;
        norm = norm == null ? Norm.GROUP_NORM_1 : norm;
    }

    /** A mode of the official configuration, with our default activation and norm. */
    static AffNetConfig of(int[] channels, int mv2Expand) {
        return new AffNetConfig(
                channels,
                new int[] {1, 3},
                new int[] {2, 4, 3},
                mv2Expand,
                8,
                Activation.SWISH,
                Norm.GROUP_NORM_1);
    }
}
