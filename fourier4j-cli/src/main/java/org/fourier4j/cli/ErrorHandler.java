package org.fourier4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.fourier4j.data.DataException;
import org.fourier4j.train.CheckpointException;
import org.fourier4j.train.ConfigException;
import org.fourier4j.train.NonFiniteLossException;
import picocli.CommandLine;

/**
 * Prints a user error as one line naming what is wrong, and anything else with its stack trace.
 *
 * <p>Exit codes ({@link #BAD_INPUT}, {@link #NON_FINITE_LOSS}, {@link #FAILURE}):
 *
 * <ul>
 *   <li>2: bad input: an argument, a configuration key or value ({@link ConfigException}), data
 *       ({@link DataException}: a missing directory, a truncated batch file, a label out of range,
 *       an image that cannot be decoded), a checkpoint ({@link CheckpointException}: missing,
 *       corrupt, or of another model or shape), a missing file, a layer that cannot be exported to
 *       ONNX; picocli's own usage errors are 2 as well;
 *   <li>3: training stopped because the loss or the gradient norm became NaN or infinite ({@link
 *       NonFiniteLossException}); the last good checkpoint is left as it was;
 *   <li>4: a file could not be written or read (a full disk, missing permissions) during a run: one
 *       line naming the file and the cause; a checkpoint being replaced is left as it was;
 *   <li>1: anything else (a bug), with the stack trace.
 * </ul>
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    /** Exit code of a failure that is not the user's input. */
    static final int FAILURE = 1;

    /** Exit code of bad input. */
    static final int BAD_INPUT = 2;

    /** Exit code of a training run stopped by a non-finite loss. */
    static final int NON_FINITE_LOSS = 3;

    /** Exit code of a file that could not be written or read. */
    static final int IO_ERROR = 4;

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        // the full name: "fourier4j spark predict", not the bare "predict" of a subcommand
        String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
        if (ex instanceof NonFiniteLossException) {
            cmd.getErr().println(prefix + "training diverged: " + oneLine(ex.getMessage()));
            return NON_FINITE_LOSS;
        }
        String kind = null;
        if (ex instanceof ConfigException) {
            kind = "configuration error: ";
        } else if (ex instanceof DataException) {
            kind = "data error: ";
        } else if (ex instanceof CheckpointException) {
            kind = "checkpoint error: ";
        } else if (ex instanceof IllegalArgumentException // UserInputException among them
                || ex instanceof org.fourier4j.io.WeightFileException
                || ex instanceof java.io.FileNotFoundException
                || ex instanceof java.nio.file.NoSuchFileException) {
            kind = "";
        }
        if (kind != null) {
            cmd.getErr().println(prefix + kind + oneLine(ex.getMessage()));
            return BAD_INPUT;
        }
        Throwable io = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (io instanceof IOException) {
            cmd.getErr().println(prefix + "I/O error: " + oneLine(io.getMessage()));
            return IO_ERROR;
        }
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + " failed: " + ex);
        ex.printStackTrace(cmd.getErr());
        return FAILURE;
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
