package org.fourier4j.train;

import org.fourier4j.UserInputException;

/**
 * A checkpoint that cannot be used: not a checkpoint, corrupt, or written for another model or
 * shape (the message lists the mismatched parameter names and shapes).
 */
public class CheckpointException extends UserInputException {

    /**
     * @param message what is wrong, naming the file
     */
    public CheckpointException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause the underlying error
     */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
