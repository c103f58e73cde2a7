package org.fourier4j.bench;

/** How results are printed. */
public enum OutputFormat {
    /** An aligned text table for people. */
    TABLE,
    /** A JSON array of objects, one per row. */
    JSON,
    /** Comma-separated values with a header line. */
    CSV
}
