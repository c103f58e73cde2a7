package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastFftLengthsTest {

    @Test
    void nextSmoothIsTheSmallestSevenSmoothLengthNotBelowN() {
        for (int n = 1; n <= 5000; n++) {
            int s = FastFftLengths.nextSmooth(n);
            assertTrue(s >= n);
            assertTrue(largestPrimeFactor(s) <= 7, s + " has a factor above 7");
            for (int k = n; k < s; k++) {
                assertTrue(largestPrimeFactor(k) > 7, k + " is smooth but was skipped for " + n);
            }
        }
    }

    @Test
    void knownValues() {
        assertEquals(72, FastFftLengths.nextSmooth(71)); // RepLKNet stage 1, 'same' k31 on 56
        assertEquals(84, FastFftLengths.nextSmooth(83));
        assertEquals(1, FastFftLengths.nextSmooth(1));
        assertFalse(FastFftLengths.isSmooth(86)); // 2 x 43: slow
        assertThrows(IllegalArgumentException.class, () -> FastFftLengths.nextSmooth(0));
    }

    private static int largestPrimeFactor(int n) {
        int largest = 1;
        for (int p = 2; (long) p * p <= n; p++) {
            while (n % p == 0) {
                largest = p;
                n /= p;
            }
        }
        return n > 1 ? Math.max(largest, n) : largest;
    }
}
