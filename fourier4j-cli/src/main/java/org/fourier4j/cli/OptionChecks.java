package org.fourier4j.cli;

/** The one check every command makes of its options before any work. */
final class OptionChecks {

    private OptionChecks() {}

    /**
     * Refuses an option value with a message that names the option and the value.
     *
     * @param ok whether the value is acceptable
     * @param message e.g. {@code "--batch must be at least 1, got 0"}
     * @throws IllegalArgumentException when {@code ok} is false
     */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
