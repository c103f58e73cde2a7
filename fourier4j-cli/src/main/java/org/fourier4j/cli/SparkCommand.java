package org.fourier4j.cli;

import org.fourier4j.spark.SparkPredictCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fourier4j spark}: jobs on Apache Spark, local or on a cluster. */
@Command(
        name = "spark",
        mixinStandardHelpOptions = true,
        description = {
            "Batch jobs on Apache Spark: on an embedded local Spark by default (nothing to"
                    + " install), or on a cluster through spark-submit (see the README)."
        },
        subcommands = {SparkPredictCommand.class})
final class SparkCommand implements Runnable {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
