package org.fourier4j.models.affnet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InvertedResidualTest {

    @Test
    void makeDivisibleIsMlCvnets() {
        // ml-cvnets make_divisible(v, 8)
        assertEquals(8, InvertedResidual.makeDivisible(3));
        assertEquals(16, InvertedResidual.makeDivisible(12));
        assertEquals(24, InvertedResidual.makeDivisible(20));
        assertEquals(32, InvertedResidual.makeDivisible(35));
        assertEquals(128, InvertedResidual.makeDivisible(128));
    }
}
