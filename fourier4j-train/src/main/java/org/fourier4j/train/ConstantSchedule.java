package org.fourier4j.train;

/**
 * The same learning rate at every step.
 *
 * @param lr the learning rate
 * @param totalSteps steps
 */
public record ConstantSchedule(double lr, long totalSteps) implements LrSchedule {

    @Override
    public double lr(long step) {
        return lr;
    }

    @Override
    public String describe() {
        return "constant " + lr;
    }
}
