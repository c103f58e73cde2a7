package org.fourier4j.onnx.spectral;

import java.util.ArrayList;
import java.util.List;

/**
 * Index arithmetic for long transforms written as matrix products: the factor split of Cooley-Tukey
 * and the permutations and kernel of Rader's algorithm for prime lengths.
 */
final class FactoredDft {

    private FactoredDft() {}

    /**
     * The largest divisor of n not above its square root (1 for a prime).
     *
     * @param n the length
     * @return the first factor of a two-factor split
     */
    static int splitFactor(int n) {
        for (int f = (int) Math.sqrt(n); f > 1; f--) {
            if (n % f == 0) {
                return f;
            }
        }
        return 1;
    }

    /**
     * The smallest primitive root modulo a prime.
     *
     * @param p a prime
     * @return g with {@code g^k mod p} running over 1 .. p-1
     */
    static int primitiveRoot(int p) {
        List<Integer> factors = new ArrayList<>();
        int m = p - 1;
        for (int q = 2; (long) q * q <= m; q++) {
            if (m % q == 0) {
                factors.add(q);
                while (m % q == 0) {
                    m /= q;
                }
            }
        }
        if (m > 1) {
            factors.add(m);
        }
        for (int g = 2; g < p; g++) {
            boolean root = true;
            for (int q : factors) {
                if (power(g, (p - 1) / q, p) == 1) {
                    root = false;
                    break;
                }
            }
            if (root) {
                return g;
            }
        }
        throw new IllegalArgumentException(p + " is not a prime");
    }

    static long power(long base, long exp, long mod) {
        long result = 1;
        long b = base % mod;
        long e = exp;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = result * b % mod;
            }
            b = b * b % mod;
            e >>= 1;
        }
        return result;
    }

    /**
     * Rader's input order: {@code g^q mod p} for q = 0 .. p-2.
     *
     * @param p the prime length
     * @param g a primitive root
     * @return the indices
     */
    static long[] inputOrder(int p, int g) {
        long[] idx = new long[p - 1];
        long v = 1;
        for (int q = 0; q < p - 1; q++) {
            idx[q] = v;
            v = v * g % p;
        }
        return idx;
    }

    /**
     * Rader's output order: for frequency k = 1 .. p-1, the index m of the cyclic convolution with
     * {@code g^(-m) = k mod p}.
     *
     * @param p the prime length
     * @param g a primitive root
     * @return the indices, one per frequency 1 .. p-1
     */
    static long[] outputOrder(int p, int g) {
        long[] idx = new long[p - 1];
        long inverse = power(g, p - 2, p); // g^-1
        long v = 1; // g^(-m)
        for (int m = 0; m < p - 1; m++) {
            idx[(int) v - 1] = m;
            v = v * inverse % p;
        }
        return idx;
    }

    /**
     * The forward DFT (length p-1) of Rader's kernel {@code b_j = e^(sign 2 pi i g^(-j) / p)},
     * times a scale, in double precision.
     *
     * @param p the prime length
     * @param g a primitive root
     * @param sign -1 for a forward outer transform, +1 for an inverse
     * @param scale a factor
     * @return {real parts, imaginary parts}
     */
    static double[][] kernelSpectrum(int p, int g, int sign, double scale) {
        int m = p - 1;
        double[] br = new double[m];
        double[] bi = new double[m];
        long inverse = power(g, p - 2, p);
        long v = 1;
        for (int j = 0; j < m; j++) {
            double angle = sign * 2 * Math.PI * v / p;
            br[j] = Math.cos(angle);
            bi[j] = Math.sin(angle);
            v = v * inverse % p;
        }
        double[] cos = new double[m];
        double[] sin = new double[m];
        for (int t = 0; t < m; t++) {
            cos[t] = Math.cos(2 * Math.PI * t / m);
            sin[t] = Math.sin(2 * Math.PI * t / m);
        }
        double[] re = new double[m];
        double[] im = new double[m];
        for (int k = 0; k < m; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < m; j++) {
                int t = (int) ((long) j * k % m);
                // b_j e^(-2 pi i j k / m)
                sr += br[j] * cos[t] + bi[j] * sin[t];
                si += bi[j] * cos[t] - br[j] * sin[t];
            }
            re[k] = scale * sr;
            im[k] = scale * si;
        }
        return new double[][] {re, im};
    }
}
