package org.fourier4j.data;

import org.fourier4j.UserInputException;

/**
 * Bad input data: a missing directory, a truncated or corrupt file, a label out of range, an image
 * that cannot be decoded. The message names the file (or key) and the offending value.
 *
 * <p>Like every {@link UserInputException}, the command line reports it as a user error (one line,
 * exit code 2) rather than as a crash.
 */
public class DataException extends UserInputException {

    /**
     * @param message what is wrong, naming the file and the value
     */
    public DataException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the value
     * @param cause the underlying error
     */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
