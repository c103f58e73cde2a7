package org.fourier4j;

/**
 * Input the user can fix: a bad configuration, data, checkpoint, model directory, or a model that
 * cannot be exported. The message is one line that names the file, key or block and what is wrong.
 *
 * <p>It is an {@link IllegalArgumentException} so that the command line reports it as a user error
 * (one line, exit code 2) rather than as a crash. The subclasses name the kind of input.
 */
public class UserInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the file (or key) and the value
     */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file (or key) and the value
     * @param cause the underlying error
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
