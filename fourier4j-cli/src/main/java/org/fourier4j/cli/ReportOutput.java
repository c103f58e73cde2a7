package org.fourier4j.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The {@code --format table|json} of {@code eval} and {@code predict}, and how they print. */
final class ReportOutput {

    @Option(
            names = "--format",
            defaultValue = "table",
            converter = ReportFormat.Converter.class,
            paramLabel = "table|json",
            description = "table or json. Default: ${DEFAULT-VALUE}.")
    private ReportFormat format;

    /**
     * Prints the JSON document or the table, as chosen.
     *
     * @param json makes the JSON document
     * @param table makes the table
     */
    void print(Supplier<String> json, Supplier<String> table) {
        System.out.print(format == ReportFormat.JSON ? json.get() : table.get());
    }
}
