package org.fourier4j.io;

/** Short renderings of untrusted values for one-line messages. */
final class Describe {
    private static final int MAX_NAME = 120;
    private static final int MAX_DIMS = 8;

    private Describe() {}

    /** A name in quotes, cut when it is long (a lying header may hold megabyte names). */
    static String name(String name) {
        if (name.length() <= MAX_NAME) {
            return "'" + name + "'";
        }
        return "'" + name.substring(0, MAX_NAME) + "...' (" + name.length() + " characters)";
    }

    /** A shape as {@code [2, 3]}, cut after a few dimensions. */
    static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i == MAX_DIMS) {
                s.append(", ... (").append(shape.length).append(" dimensions)");
                break;
            }
            if (i > 0) {
                s.append(", ");
            }
            s.append(shape[i]);
        }
        return s.append(']').toString();
    }
}
