package org.fourier4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fourier4j} command. */
@Command(
        name = "fourier4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Fourier-domain vision networks on the JVM: FFT convolution, spectral token"
                        + " mixers, training, evaluation, prediction, benchmarks, reports.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected failure (with a stack trace)",
            "2:bad input: arguments, configuration, data or checkpoint (one line naming it)",
            "3:training stopped on a non-finite loss (the last good checkpoint is kept)",
            "4:a file could not be written or read, e.g. a full disk (one line naming the file"
                    + " and the cause; the previous checkpoint is kept)"
        },
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            PredictCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            ForwardCommand.class,
            CompareCommand.class,
            BenchCommand.class,
            SparkCommand.class,
            ReportCommand.class,
            ModelsCommand.class,
            AutotuneCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Fourier4j implements Runnable {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (for tests).
     *
     * @param args the arguments
     * @return 0 on success, 1 on an unexpected failure, 2 on bad input (arguments, configuration,
     *     data, checkpoint), 3 when training stopped on a non-finite loss, 4 when a file could not
     *     be written or read
     */
    public static int execute(String... args) {
        JvmSettings.configure();
        return new CommandLine(new Fourier4j())
                .setExecutionExceptionHandler(new ErrorHandler())
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
