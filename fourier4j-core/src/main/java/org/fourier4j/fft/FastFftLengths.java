package org.fourier4j.fft;

/**
 * FFT lengths that are fast to transform: 7-smooth numbers (no prime factor above 7).
 *
 * <p>Mixed-radix FFTs (MKL, pocketfft) are fastest on lengths with small prime factors. Padding to
 * the next power of two wastes up to half the work (71 becomes 128 rather than 72), while a length
 * with a large prime factor (86 = 2 x 43) is several times slower than a smooth one.
 */
public final class FastFftLengths {

    private FastFftLengths() {}

    /**
     * Returns the smallest 7-smooth number that is at least {@code n}.
     *
     * @param n the minimum length, positive
     * @return the next length whose prime factors are all in {2, 3, 5, 7}
     */
    public static int nextSmooth(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be positive, got " + n);
        }
        for (int m = n; ; m++) {
            if (isSmooth(m)) {
                return m;
            }
        }
    }

    /**
     * Returns whether {@code n} has no prime factor above 7.
     *
     * @param n a positive number
     * @return true for 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, ...
     */
    public static boolean isSmooth(int n) {
        if (n < 1) {
            return false;
        }
        for (int p : new int[] {2, 3, 5, 7}) {
            while (n % p == 0) {
                n /= p;
            }
        }
        return n == 1;
    }
}
