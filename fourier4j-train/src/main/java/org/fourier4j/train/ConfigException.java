package org.fourier4j.train;

import org.fourier4j.UserInputException;

/**
 * A bad configuration: an unknown key, a value of the wrong type or out of range, an unreadable
 * file, an unknown model. The message names the key (and file) and the value. Like every {@link
 * UserInputException}, the command line reports it as a user error (exit code 2).
 */
public class ConfigException extends UserInputException {

    /**
     * @param message what is wrong, naming the key and the value
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying error
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
