package org.fourier4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file that cannot be read or written: one line that names the file and what is wrong,
 * e.g. {@code model.safetensors: tensor 'blocks.0.w' claims bytes 16..4096 but the data section has
 * 1024 bytes}. Every refusal of the readers (a lying header, a truncated file, a pickle that names
 * a forbidden global) is this exception, thrown before anything is allocated from the bad field.
 */
public class WeightFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file concerned (its name starts the message); may be null for data that has
     *     no file yet
     * @param problem what is wrong, without the file name
     */
    public WeightFileException(Path file, String problem) {
        super(oneLine(prefix(file) + problem));
        this.file = file;
    }

    /** Same, with the low-level cause kept for debugging. */
    public WeightFileException(Path file, String problem, Throwable cause) {
        super(oneLine(prefix(file) + problem), cause);
        this.file = file;
    }

    /** The file concerned, or null. */
    public Path file() {
        return file;
    }

    private static String oneLine(String message) {
        return message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    private static String prefix(Path file) {
        if (file == null) {
            return "";
        }
        Path name = file.getFileName();
        return (name == null ? file.toString() : name.toString()) + ": ";
    }
}
