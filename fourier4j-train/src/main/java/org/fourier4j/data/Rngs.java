package org.fourier4j.data;

import java.util.SplittableRandom;

/**
 * Counter-based random streams: every random decision of the data pipeline and of training is drawn
 * from a generator seeded by a hash of {@code (seed, stream, keys...)}, for example {@code (seed,
 * SAMPLE, epoch, imageIndex)}. Results therefore depend only on the seed and on the position in the
 * run, never on the number of worker threads or on whether a run was interrupted and resumed: the
 * "random state" of a run is its seed and its counters.
 */
public final class Rngs {

    /** Stream of the per-epoch shuffling permutation; keys: epoch. */
    public static final long SHUFFLE = 1;

    /** Stream of per-sample augmentation; keys: epoch, image index. */
    public static final long SAMPLE = 2;

    /** Stream of batch-level augmentation (mixup/cutmix); keys: epoch, batch index. */
    public static final long BATCH = 3;

    /** Stream that seeds the tensor engine (dropout, drop path); keys: epoch, micro-batch. */
    public static final long ENGINE = 4;

    /** Stream of data set splits and subsampling; keys: free. */
    public static final long SPLIT = 5;

    /** Stream of weight initialisation; no keys. */
    public static final long INIT = 6;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rngs() {}

    /**
     * The SplitMix64 finaliser: a bijective 64-bit mixing function.
     *
     * @param z input
     * @return mixed output
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Hashes a seed, a stream id and keys into one 64-bit value.
     *
     * @param seed the run's seed
     * @param stream the stream id (one of the constants of this class)
     * @param keys counters, such as epoch and index
     * @return the derived seed
     */
    public static long derive(long seed, long stream, long... keys) {
        long h = mix(seed ^ GOLDEN);
        h = mix(h + stream * GOLDEN);
        for (long k : keys) {
            h = mix(h ^ mix(k + GOLDEN));
        }
        return h;
    }

    /**
     * A generator for one stream position.
     *
     * @param seed the run's seed
     * @param stream the stream id
     * @param keys counters
     * @return a fresh generator
     */
    public static SplittableRandom random(long seed, long stream, long... keys) {
        return new SplittableRandom(derive(seed, stream, keys));
    }

    /**
     * A random permutation of {@code 0..n-1} (Fisher-Yates).
     *
     * @param n length
     * @param rng generator
     * @return the permutation
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * A sample of the Beta(alpha, alpha) distribution, from two Gamma samples.
     *
     * @param alpha the shape, positive
     * @param rng generator
     * @return a value in [0, 1]
     */
    public static double beta(double alpha, SplittableRandom rng) {
        double x = gamma(alpha, rng);
        double y = gamma(alpha, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * A sample of the Gamma(shape, 1) distribution (Marsaglia and Tsang; shapes below one by the
     * boost {@code Gamma(a) = Gamma(a + 1) * U^(1/a)}).
     *
     * @param shape positive shape
     * @param rng generator
     * @return a non-negative value
     */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) {
            double u = rng.nextDouble();
            return gamma(shape + 1, rng) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x
                    || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
