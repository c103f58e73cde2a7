package org.fourier4j.train;

/**
 * Linear warm-up then cosine decay: {@code lr * step / warmup} for {@code step < warmup}, then
 * {@code min + (lr - min) * (1 + cos(pi * p)) / 2} with {@code p = (step - warmup) / (total -
 * warmup)}.
 */
public final class WarmupCosineSchedule implements LrSchedule {

    private final double lr;
    private final double minLr;
    private final long warmup;
    private final long total;

    /**
     * @param lr peak learning rate, reached at the end of the warm-up
     * @param minLr final learning rate
     * @param warmup warm-up steps, at least 0 and below {@code total}
     * @param total steps
     */
    public WarmupCosineSchedule(double lr, double minLr, long warmup, long total) {
        if (total < 1 || warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException(
                    "warm-up of " + warmup + " steps does not fit in " + total + " steps");
        }
        this.lr = lr;
        this.minLr = minLr;
        this.warmup = warmup;
        this.total = total;
    }

    @Override
    public double lr(long step) {
        if (step < warmup) {
            return lr * step / warmup;
        }
        double p = (double) (step - warmup) / (total - warmup);
        return minLr + (lr - minLr) * (1 + Math.cos(Math.PI * p)) / 2;
    }

    @Override
    public long totalSteps() {
        return total;
    }

    @Override
    public String describe() {
        return String.format(
                "linear warm-up %d steps then cosine %.3g -> %.3g over %d steps",
                warmup, lr, minLr, total);
    }
}
