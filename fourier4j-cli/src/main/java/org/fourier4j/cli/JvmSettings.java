package org.fourier4j.cli;

/**
 * JVM-wide settings the command needs before DJL starts: offline natives (nothing is ever
 * downloaded), no DJL progress bars, and no CUDA probe warning on machines with CUDA libraries but
 * no driver. Values already set by the user win.
 */
final class JvmSettings {

    private JvmSettings() {}

    static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("disableProgressBar", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda", "off");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.pytorch.engine.PtEngine", "warn");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the training engine's per-epoch lines (loss, accuracy, validation, throughput)
        setIfAbsent("org.slf4j.simpleLogger.log.org.fourier4j.train.TrainingRun", "info");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
