package org.fourier4j.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the validation images are chosen ({@code val_split}): {@code auto}, {@code none}, {@code
 * test} (the CIFAR test batch), {@code tail:N} (the last N training images) or {@code fraction:F}
 * (a stratified share).
 *
 * @param kind which rule
 * @param count N of {@code tail:N}
 * @param fraction F of {@code fraction:F}
 */
public record ValSplit(Kind kind, int count, double fraction) {

    /** The rules. */
    public enum Kind {
        /** The data's own validation part if it has one, else a rule by size. */
        AUTO,
        /** No validation. */
        NONE,
        /** The CIFAR test batch. */
        TEST,
        /** The last N training images. */
        TAIL,
        /** A stratified share of the training images. */
        FRACTION
    }

    /** {@code auto}. */
    public static final ValSplit AUTO = new ValSplit(Kind.AUTO, 0, 0);

    /**
     * Checks the values.
     *
     * @param kind the rule
     * @param count positive for TAIL
     * @param fraction in (0, 1) for FRACTION
     */
    public ValSplit {
        if (kind == Kind.TAIL && count < 1) {
            throw new IllegalArgumentException("tail:N needs N > 0");
        }
        if (kind == Kind.FRACTION && !(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction:F needs 0 < F < 1");
        }
    }

    /**
     * Parses the text form.
     *
     * @param text auto, none, test, tail:N or fraction:F
     * @return the rule
     * @throws IllegalArgumentException saying what is accepted
     */
    @JsonCreator
    public static ValSplit parse(String text) {
        switch (text) {
            case "auto":
                return AUTO;
            case "none":
                return new ValSplit(Kind.NONE, 0, 0);
            case "test":
                return new ValSplit(Kind.TEST, 0, 0);
            default:
                break;
        }
        try {
            if (text.startsWith("tail:")) {
                return new ValSplit(Kind.TAIL, Integer.parseInt(text.substring(5)), 0);
            }
            if (text.startsWith("fraction:")) {
                return new ValSplit(Kind.FRACTION, 0, Double.parseDouble(text.substring(9)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has a malformed number");
        }
        throw new IllegalArgumentException("must be auto, none, test, tail:N or fraction:F");
    }

    /**
     * @return the text form
     */
    @JsonValue
    @Override
    public String toString() {
        return switch (kind) {
            case TAIL -> "tail:" + count;
            case FRACTION -> "fraction:" + fraction;
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
