package org.fourier4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link NameMap} placeholders with a factor, for official lists interleaving two module kinds. */
class NameMapFactorTest {

    private static final NameMap INTERLEAVED =
            NameMap.builder("official")
                    .rule("network.{2s}.", "stages.{s}.blocks.")
                    .rule("network.{2s-1}.", "stages.{s}.downsample.")
                    .rule("layer_{i+1}.", "stages.{i}.blocks.")
                    .build();

    @Test
    void evenAndOddIndicesGoToTheirOwnRule() {
        assertEquals(
                "stages.0.blocks.1.norm1.weight",
                INTERLEAVED.toFourier4j("network.0.1.norm1.weight"));
        assertEquals(
                "stages.1.downsample.proj.weight",
                INTERLEAVED.toFourier4j("network.1.proj.weight"));
        assertEquals(
                "stages.3.blocks.0.mlp.fc1.bias",
                INTERLEAVED.toFourier4j("network.6.0.mlp.fc1.bias"));
        assertEquals(
                "stages.3.downsample.norm.bias", INTERLEAVED.toFourier4j("network.5.norm.bias"));
        assertEquals(
                "network.6.0.attn.qkv.weight",
                INTERLEAVED.fromFourier4j("stages.3.blocks.0.attn.qkv.weight"));
        assertEquals(
                "network.3.proj.weight",
                INTERLEAVED.fromFourier4j("stages.2.downsample.proj.weight"));
    }

    @Test
    void aNumberNotOfTheFormDoesNotMatch() {
        // stage 0 has no downsampling: 2 * 0 - 1 is negative, so no rule applies and it stays
        assertEquals("stages.0.downsample.w", INTERLEAVED.fromFourier4j("stages.0.downsample.w"));
        // the offsets of the other placeholder kinds still work
        assertEquals("stages.4.blocks.0.x", INTERLEAVED.toFourier4j("layer_5.0.x"));
        assertEquals("layer_0.x", INTERLEAVED.toFourier4j("layer_0.x"));
    }

    @Test
    void roundTrips() {
        for (int n = 0; n < 12; n++) {
            String theirs = "network." + n + ".0.w";
            assertEquals(theirs, INTERLEAVED.fromFourier4j(INTERLEAVED.toFourier4j(theirs)));
        }
    }

    @Test
    void aZeroFactorIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NameMap.builder("x").rule("a.{0s}.", "b.{s}.").build());
        assertEquals(
                "name rule 'a.{0s}.': a placeholder's factor must be positive", e.getMessage());
    }
}
