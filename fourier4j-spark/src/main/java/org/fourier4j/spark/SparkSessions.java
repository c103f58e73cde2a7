package org.fourier4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session of a prediction job: the master given, else the one {@code spark-submit}
 * set, else an embedded {@code local[*]}. An embedded local session binds to the loopback address
 * only and has no web UI.
 */
public final class SparkSessions {

    private SparkSessions() {}

    /**
     * Gets or creates the session.
     *
     * @param master a Spark master URL, or null for spark-submit's or {@code local[*]}
     * @param appName the application's name
     * @return the session
     * @throws SparkSetupException if this JVM lacks the options Spark needs
     */
    public static SparkSession start(String master, String appName) {
        SparkJvm.check();
        String effective = master != null ? master : System.getProperty("spark.master");
        if (effective == null) {
            effective = "local[*]";
        }
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(effective);
        if (isLocal(effective)) {
            // harmless in local mode: the host name resolving to loopback, no native Hadoop, and a
            // glob of images not being a streaming sink's metadata directory
            quiet("org.apache.spark.util.Utils");
            quiet("org.apache.hadoop.util.NativeCodeLoader");
            quiet("org.apache.spark.sql.execution.streaming.sinks.FileStreamSink");
            b.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.showConsoleProgress", "false");
        }
        return b.getOrCreate();
    }

    /** Raises a logger's level to error under slf4j-simple, unless the user set it. */
    private static void quiet(String logger) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, "error");
        }
    }

    /**
     * @param master a master URL
     * @return whether it runs in this JVM ({@code local}, {@code local[N]}, {@code local[*]}, ...)
     */
    public static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }
}
