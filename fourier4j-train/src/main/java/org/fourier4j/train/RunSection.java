package org.fourier4j.train;

/**
 * The keys of a training configuration that say how long a run lasts, where it is written and how
 * it reports, each described by its {@link Setting}.
 *
 * @param epochs training epochs
 * @param seed the seed of every random choice
 * @param initFrom a model directory or training run whose weights start a new run, or null
 * @param maxSteps stop after this many optimiser steps (0: no limit)
 * @param timeBudgetMinutes finish within this wall time (0: off)
 * @param saveDir directory of run directories
 * @param runName run directory name, or null for {@code <model>-<time>}
 * @param checkpointEverySteps also checkpoint every n steps within an epoch (0: off)
 * @param progress progress on stderr
 */
public record RunSection(
        @Setting(value = "training epochs", min = 1) int epochs,
        @Setting("seed of every random choice") long seed,
        @Setting(
                        "initial weights of a new run: a model directory (import, train) or run,"
                                + " loaded by parameter name; other classes get a fresh"
                                + " classifier")
                String initFrom,
        @Setting(
                        value = "stop after this many optimiser steps (0: no limit)",
                        min = 0,
                        resumable = true)
                int maxSteps,
        @Setting(
                        value =
                                "finish the run (validation included) within this wall time; the"
                                        + " schedule follows the clock and epochs is an upper"
                                        + " bound (0: off)",
                        min = 0)
                double timeBudgetMinutes,
        @Setting(value = "directory of run directories", resumable = true) String saveDir,
        @Setting("run directory name (default <model>-<time>)") String runName,
        @Setting(value = "also checkpoint every n steps within an epoch", min = 0, resumable = true)
                int checkpointEverySteps,
        @Setting(value = "progress on stderr: a bar on a terminal, else lines", resumable = true)
                boolean progress) {

    /** The defaults. */
    public static final RunSection DEFAULTS =
            new RunSection(10, 42, null, 0, 0.0, "runs", null, 0, true);
}
