package org.fourier4j.train;

/**
 * Training stopped because the loss (or the gradient norm) became NaN or infinite. The message
 * names the epoch and step and the last good checkpoint, which is left untouched.
 */
public class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long globalStep;

    /**
     * @param message what happened, where, and which checkpoint is the last good one
     * @param globalStep the 1-based optimiser step that failed
     */
    public NonFiniteLossException(String message, long globalStep) {
        super(message);
        this.globalStep = globalStep;
    }

    /**
     * @return the 1-based optimiser step that failed
     */
    public long globalStep() {
        return globalStep;
    }
}
