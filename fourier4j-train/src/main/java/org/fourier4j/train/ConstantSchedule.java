package org.fourier4j.train;

/**
 * The same learning rate at every step.
 *
 * @param lr the learning rate
 * @param total steps
 */
public record ConstantSchedule(double lr, long total) implements LrSchedule {

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
