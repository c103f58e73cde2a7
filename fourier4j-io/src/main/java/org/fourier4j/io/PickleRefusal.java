package org.fourier4j.io;

/**
 * Thrown from inside the unpickler when the pickle asks for something a state dict never needs or
 * hands a rebuild function bad arguments; the reader turns it into a {@link WeightFileException}
 * naming the file.
 */
final class PickleRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PickleRefusal(String message) {
        super(message, null, false, false);
    }
}
