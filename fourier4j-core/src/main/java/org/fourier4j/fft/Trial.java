package org.fourier4j.fft;

import java.util.function.Predicate;

/**
 * The two candidates of one AUTO decision, ready to be timed: {@link ConvTrial} runs DIRECT and FFT
 * on copies of the call's arrays; tests script the times instead.
 */
interface Trial extends AutoCloseable {

    /** Index of DIRECT in {@link #time}'s result. */
    int DIRECT = 0;

    /** Index of FFT in {@link #time}'s result. */
    int FFT = 1;

    /**
     * Times DIRECT and FFT warm and interleaved ({@link FloorTiming#run}).
     *
     * @param limits how long
     * @param enough an early stop (may be null)
     * @return the samples, DIRECT at {@link #DIRECT}, FFT at {@link #FFT}
     */
    FloorTiming.Result time(FloorTiming.Limits limits, Predicate<FloorTiming.Result> enough);

    /**
     * The time per call of the chosen algorithm as AUTO will run it: the measured floor when the
     * decision timed the forward pass, or the forward pass's own floor when it timed a training
     * step.
     *
     * @param chosen DIRECT or FFT
     * @param measuredFloorMs the chosen algorithm's floor in {@link #time}
     * @return ms
     */
    double referenceMs(ConvAlgorithm chosen, double measuredFloorMs);

    @Override
    void close();
}
