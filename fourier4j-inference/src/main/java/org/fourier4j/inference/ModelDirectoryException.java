package org.fourier4j.inference;

import org.fourier4j.UserInputException;

/**
 * A model directory, or weights for it, cannot be read, do not fit the model they name, or cannot
 * be written. The message is one line that names the file and what is wrong; the command line
 * prints it and exits with code 2.
 */
public class ModelDirectoryException extends UserInputException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file
     */
    public ModelDirectoryException(String message) {
        super(message);
    }

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file
     * @param cause the underlying error
     */
    public ModelDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
