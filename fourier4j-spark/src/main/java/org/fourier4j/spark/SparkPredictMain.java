package org.fourier4j.spark;

import picocli.CommandLine;

/**
 * The main class for {@code spark-submit}: {@code spark-submit --class
 * org.fourier4j.spark.SparkPredictMain fourier4j-spark-cluster.jar --checkpoint ... --images ...
 * --out ...} takes the options of {@code fourier4j spark predict}. Exit codes as the command
 * line's: 0 success, 2 bad input (one line), 1 anything else (with the stack trace).
 */
public final class SparkPredictMain {

    private SparkPredictMain() {}

    /**
     * Runs the job.
     *
     * @param args the options of {@code spark predict}
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the job and returns its exit code.
     *
     * @param args the options of {@code spark predict}
     * @return 0 on success, 2 on bad input, 1 otherwise
     */
    public static int execute(String... args) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("disableProgressBar", "true");
        return new CommandLine(new SparkPredictCommand())
                .setCommandName("spark predict")
                .setExecutionExceptionHandler(
                        (ex, cmd, parsed) -> {
                            // bad input, a ModelDirectoryException among it
                            if (ex instanceof IllegalArgumentException) {
                                cmd.getErr()
                                        .println(
                                                "fourier4j spark predict: "
                                                        + String.valueOf(ex.getMessage())
                                                                .replaceAll("\\s*\\R\\s*", " "));
                                return 2;
                            }
                            cmd.getErr().println("fourier4j spark predict failed: " + ex);
                            ex.printStackTrace(cmd.getErr());
                            return 1;
                        })
                .execute(args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
