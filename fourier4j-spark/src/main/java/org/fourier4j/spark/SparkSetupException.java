package org.fourier4j.spark;

/**
 * A prediction job cannot start because of its input or its environment (missing JVM options, no
 * image matches, an existing output directory). It extends {@link IllegalArgumentException} so that
 * the command line reports it as bad input, in one line.
 */
public final class SparkSetupException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it
     */
    public SparkSetupException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and how to fix it
     * @param cause the underlying error
     */
    public SparkSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
