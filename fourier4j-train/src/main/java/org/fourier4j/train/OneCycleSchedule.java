package org.fourier4j.train;

/**
 * The one-cycle policy exactly as PyTorch's {@code torch.optim.lr_scheduler.OneCycleLR} with its
 * defaults ({@code anneal_strategy='cos'}, {@code three_phase=False}), the seed project's choice:
 * the learning rate rises from {@code maxLr / divFactor} to {@code maxLr} over the first {@code
 * pctStart} of the steps and falls to {@code maxLr / divFactor / finalDivFactor} by the last step,
 * both by cosine annealing; with {@code cycleMomentum} the momentum moves the opposite way between
 * {@code maxMomentum} and {@code baseMomentum}.
 *
 * <p>Phase ends are PyTorch's: phase 1 ends at step {@code pctStart * total - 1}, phase 2 at {@code
 * total - 1}; within a phase {@code pct = (step - start) / (end - start)} and {@code value = end +
 * (start - end) / 2 * (cos(pi * pct) + 1)}.
 */
public final class OneCycleSchedule implements LrSchedule {

    private final double maxLr;
    private final long total;
    private final double pctStart;
    private final double initialLr;
    private final double minLr;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;

    /**
     * @param maxLr peak learning rate
     * @param total steps, at least 1
     * @param pctStart share of steps rising, in [0, 1]
     * @param divFactor initial lr = maxLr / divFactor
     * @param finalDivFactor final lr = initial lr / finalDivFactor
     * @param cycleMomentum whether to drive the momentum
     * @param baseMomentum momentum at the peak
     * @param maxMomentum momentum at the start and end
     */
    public OneCycleSchedule(
            double maxLr,
            long total,
            double pctStart,
            double divFactor,
            double finalDivFactor,
            boolean cycleMomentum,
            double baseMomentum,
            double maxMomentum) {
        if (total < 1) {
            throw new IllegalArgumentException("one-cycle needs at least 1 step, got " + total);
        }
        this.maxLr = maxLr;
        this.total = total;
        this.pctStart = pctStart;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
    }

    private static double cos(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }

    /** Interpolates between the per-phase (start, end) values as PyTorch does. */
    private double phased(long step, double v0, double v1, double v2) {
        double end1 = pctStart * total - 1;
        double end2 = total - 1;
        if (step <= end1) {
            double pct = end1 == 0 ? 1 : step / end1;
            return cos(v0, v1, pct);
        }
        double pct = end2 == end1 ? 1 : (step - end1) / (end2 - end1);
        return cos(v1, v2, pct);
    }

    @Override
    public double lr(long step) {
        return phased(step, initialLr, maxLr, minLr);
    }

    @Override
    public double momentum(long step) {
        return cycleMomentum ? phased(step, maxMomentum, baseMomentum, maxMomentum) : Double.NaN;
    }

    @Override
    public long totalSteps() {
        return total;
    }

    @Override
    public String describe() {
        return String.format(
                "one-cycle max %.3g over %d steps (rise %.0f%%, %.3g -> %.3g -> %.3g)%s",
                maxLr,
                total,
                pctStart * 100,
                initialLr,
                maxLr,
                minLr,
                cycleMomentum
                        ? String.format(", momentum %.2f-%.2f", baseMomentum, maxMomentum)
                        : "");
    }
}
