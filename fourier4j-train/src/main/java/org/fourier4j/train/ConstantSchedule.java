package org.fourier4j.train;

/** The same learning rate at every step. */
public final class ConstantSchedule implements LrSchedule {

    private final double lr;
    private final long total;

    /**
     * @param lr the learning rate
     * @param total steps
     */
    public ConstantSchedule(double lr, long total) {
        this.lr = lr;
        this.total = total;
    }

    @Override
    public double lr(long step) {
        return lr;
    }

    @Override
    public long totalSteps() {
        return total;
    }

    @Override
    public String describe() {
        return "constant " + lr;
    }
}
