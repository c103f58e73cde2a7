package org.fourier4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces of {@link MixerBenchmark} that are pure arithmetic: grids and the fitted slope ({@link
 * MixerTable}).
 */
class MixerBenchmarkTest {

    @Test
    void slopeOfAPowerLawIsItsExponent() {
        List<Double> n = List.of(1024.0, 4096.0, 16384.0);
        assertEquals(
                1.5,
                MixerTable.slope(
                        n,
                        List.of(
                                3 * Math.pow(1024, 1.5),
                                3 * Math.pow(4096, 1.5),
                                3 * Math.pow(16384, 1.5))),
                1e-12);
        // least squares through three points that are not on one line
        double s = MixerTable.slope(n, List.of(1.0, 4.0, 8.0));
        double expected =
                (Math.log(8) - Math.log(1))
                        / (Math.log(16384) - Math.log(1024)); // symmetric x: ends only
        assertEquals(expected, s, 1e-12);
    }

    @Test
    void tokenCountsBecomeSquarishGrids() {
        assertEquals("64x64", MixerBenchmark.Grid.of(4096).toString());
        assertEquals("32x64", MixerBenchmark.Grid.of(2048).toString());
        assertEquals("128x128", MixerBenchmark.Grid.of(16384).toString());
        assertEquals("3x4", MixerBenchmark.Grid.of(12).toString());
        assertEquals("1x1", MixerBenchmark.Grid.of(1).toString());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MixerBenchmark.Grid.of(1031));
        assertTrue(
                e.getMessage().contains("--tokens 1031") && e.getMessage().contains("1x1031"),
                e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> MixerBenchmark.Grid.of(2 * 11)); // 2x11 > 1:4
    }
}
