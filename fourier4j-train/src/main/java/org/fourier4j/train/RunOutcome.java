package org.fourier4j.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code summary.json} of a run and the {@link TrainSummary} it returns: how the run ended, its
 * counters, the last evaluation, throughput and time, the data it used; or, after a non-finite
 * loss, why it failed.
 */
record RunOutcome(TrainConfig config, TrainData data, RunDirectory dir, String model) {

    private static final Logger LOG = LoggerFactory.getLogger(RunOutcome.class);

    /**
     * Writes the summary of a run that ended.
     *
     * @param status completed or stopped
     * @param endedBy epochs, max_steps or time_budget
     * @param p the run's counters
     * @param lastEval the last evaluation of this process, or null
     * @param imagesPerSecond this process's training throughput (NaN if it trained nothing)
     * @param seconds this process's time
     * @param runSeconds the run's time over all its processes
     * @param parameters the model's parameter count
     * @return the summary
     * @throws IOException if {@code summary.json} cannot be written
     */
    TrainSummary write(
            String status,
            String endedBy,
            RunProgress p,
            EvalResult lastEval,
            double imagesPerSecond,
            double seconds,
            double runSeconds,
            long parameters)
            throws IOException {
        double best = p.bestEpoch == 0 || p.bestValTop1 < 0 ? Double.NaN : p.bestValTop1;
        TrainSummary summary =
                new TrainSummary(
                        status,
                        dir.path(),
                        p.epochsCompleted,
                        p.globalStep,
                        p.bestEpoch,
                        best,
                        lastEval,
                        imagesPerSecond,
                        seconds,
                        endedBy,
                        runSeconds);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", status);
        s.put("ended_by", endedBy);
        s.put("model", model);
        s.put("parameters", parameters);
        s.put("epochs_completed", p.epochsCompleted);
        s.put("global_steps", p.globalStep);
        s.put("best_epoch", p.bestEpoch);
        s.put("best_val_top1", Double.isNaN(best) ? null : best);
        if (lastEval != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("images", lastEval.images());
            last.put("val_loss", lastEval.loss());
            last.put("val_top1", lastEval.top1());
            last.put("val_top5", lastEval.top5());
            last.put("weights", config.optimisation().emaDecay() > 0 ? "ema" : "raw");
            last.put("per_class_accuracy", lastEval.perClassAccuracyByName());
            last.put("confusion_matrix", lastEval.confusion());
            last.put("classes", lastEval.classes());
            s.put("last_eval", last);
        }
        s.put("train_images_per_s", Double.isNaN(imagesPerSecond) ? null : imagesPerSecond);
        s.put("seconds", seconds);
        s.put("run_seconds", runSeconds);
        if (config.run().timeBudgetMinutes() > 0) {
            s.put("time_budget_minutes", config.run().timeBudgetMinutes());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("train", data.train().toString());
        d.put("val", data.val() == null ? null : data.val().toString());
        d.put("split", data.splitRule());
        d.put("normalize_mean", data.stats().mean());
        d.put("normalize_std", data.stats().std());
        s.put("data", d);
        dir.writeSummary(s);
        return summary;
    }

    /**
     * Writes the summary of a run that failed (best effort: the failure is what the user must see).
     *
     * @param message what happened
     * @param p the run's counters at the failure
     */
    void failed(String message, RunProgress p) {
        try {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", "failed");
            s.put("message", message);
            s.put("model", model);
            s.put("epochs_completed", p.epochsCompleted);
            s.put("global_steps", p.globalStep);
            s.put("failed_at_global_step", p.globalStep + 1);
            dir.writeSummary(s);
        } catch (IOException e) {
            LOG.warn("could not write the summary of the failed run", e);
        }
    }
}
