package org.fourier4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fourier4j bench}: speed measurements, side by side in one run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks, measured side by side in one run with warm-up and medians.",
        subcommands = {
            BenchConvCommand.class,
            BenchMixersCommand.class,
            BenchLatencyCommand.class,
            BenchLoaderCommand.class,
            BenchLoadCommand.class,
            BenchSoakCommand.class,
            BenchSparkCommand.class
        })
final class BenchCommand implements Runnable {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
