package org.fourier4j.train;

/**
 * Linear warm-up then cosine decay: {@code lr * step / warmup} for {@code step < warmup}, then
 * {@code min + (lr - min) * (1 + cos(pi * p)) / 2} with {@code p = (step - warmup) / (totalSteps -
 * warmup)}.
 *
 * @param lr peak learning rate, reached at the end of the warm-up
 * @param minLr final learning rate
 * @param warmup warm-up steps, at least 0 and below {@code totalSteps}
 * @param totalSteps steps
 */
public record WarmupCosineSchedule(double lr, double minLr, long warmup, long totalSteps)
        implements LrSchedule {

    /** Checks that the warm-up fits in the steps. */
    public WarmupCosineSchedule {
        if (totalSteps < 1 || warmup < 0 || warmup >= totalSteps) {
            throw new IllegalArgumentException(
                    "warm-up of " + warmup + " steps does not fit in " + totalSteps + " steps");
        }
    }

    @Override
    public double lr(long step) {
        if (step < warmup) {
            return lr * step / warmup;
        }
        double p = (double) (step - warmup) / (totalSteps - warmup);
        return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * p)) / 2;
    }

    @Override
    public String describe() {
        return String.format(
                "linear warm-up %d steps then cosine %.3g -> %.3g over %d steps",
                warmup, lr, minLr, totalSteps);
    }
}
