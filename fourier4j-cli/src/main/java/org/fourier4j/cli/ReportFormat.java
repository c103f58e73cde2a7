package org.fourier4j.cli;

import java.util.Locale;
import picocli.CommandLine;

/** How {@code train}, {@code eval} and {@code predict} print their results. */
enum ReportFormat {
    /** Aligned text for people. */
    TABLE,
    /** One JSON document. */
    JSON;

    /** Parses {@code table} or {@code json}. */
    static final class Converter implements CommandLine.ITypeConverter<ReportFormat> {
        @Override
        public ReportFormat convert(String value) {
            try {
                return ReportFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(
                        "unknown format '" + value + "': use table or json");
            }
        }
    }
}
