package org.fourier4j.cli;

import picocli.CommandLine;

/**
 * Prints a user error (bad argument, missing file) as one line naming what is wrong, and anything
 * else with its stack trace; the exit code is 2 for bad arguments, 1 otherwise.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(
            Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (ex instanceof IllegalArgumentException
                || ex instanceof java.io.FileNotFoundException
                || ex instanceof java.nio.file.NoSuchFileException) {
            cmd.getErr().println("fourier4j " + cmd.getCommandName() + ": " + ex.getMessage());
            return 2;
        }
        cmd.getErr().println("fourier4j " + cmd.getCommandName() + " failed: " + ex);
        ex.printStackTrace(cmd.getErr());
        return 1;
    }
}
