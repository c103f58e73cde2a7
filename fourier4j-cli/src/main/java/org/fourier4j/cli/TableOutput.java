package org.fourier4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.fourier4j.bench.OutputFormat;
import org.fourier4j.bench.ResultTable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --format} of a command that prints a result table, and how it prints and saves it. */
final class TableOutput {

    @Option(
            names = "--format",
            defaultValue = "table",
            converter = TableOutput.FormatConverter.class,
            description = "table, json or csv. Default: ${DEFAULT-VALUE}.")
    private OutputFormat format;

    /**
     * @return the chosen format
     */
    OutputFormat format() {
        return format;
    }

    /**
     * Prints the table on standard output in the chosen format and, when a file is given, writes
     * the same text there (creating its folder).
     *
     * @param table the results
     * @param file where to save them too, or null
     * @return the text
     * @throws IOException if the file cannot be written
     */
    String print(ResultTable table, Path file) throws IOException {
        String text = table.render(format);
        System.out.print(text);
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        return text;
    }

    /**
     * @param dir a folder, or null
     * @param stem the file's name before the format's extension
     * @return {@code dir/stem.<format>}, or null without a folder
     */
    Path inFolder(Path dir, String stem) {
        return dir == null
                ? null
                : dir.resolve(stem + "." + format.name().toLowerCase(Locale.ROOT));
    }

    /** "json" to {@link OutputFormat#JSON}, or one clear error naming the choices. */
    static final class FormatConverter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        "unknown format '" + value + "': use table, json or csv");
            }
        }
    }
}
