package org.fourier4j.fft;

/** What the padded border of a signal holds, as in PyTorch's {@code padding_mode}. */
public enum PaddingMode {
    /** Zeros (the default of every convolution). */
    ZEROS,
    /** Mirror without repeating the edge sample: {@code [a b c] -> b | a b c | b}. */
    REFLECT,
    /** Repeat the edge sample: {@code [a b c] -> a | a b c | c}. */
    REPLICATE,
    /** Wrap around: {@code [a b c] -> c | a b c | a}. */
    CIRCULAR
}
