package org.fourier4j.fft;

import java.nio.file.Path;

/**
 * Where fourier4j keeps what it measured on this machine, and what a measurement depends on; for
 * the other measured choices (the inference engine per model) to follow the rules of AUTO's.
 */
public final class AutotuneHome {

    private AutotuneHome() {}

    /**
     * @return {@code ~/.fourier4j}, or {@code -Dfourier4j.home} / {@code FOURIER4J_HOME}
     */
    public static Path directory() {
        return AutotuneStore.home();
    }

    /**
     * @return the fourier4j version, DJL's engine and the processor, as one line: a measurement
     *     taken under another stamp is not used
     */
    public static String stamp() {
        return AutotuneStamp.current().toString();
    }
}
