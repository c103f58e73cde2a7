package org.fourier4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fourier4j.bench.MemorySampler;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BatchLoader;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.ChannelStats;
import org.fourier4j.data.CifarFormat;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.ImageSet;
import org.fourier4j.inference.LoadedModel;
import org.fourier4j.inference.ModelCard;
import org.fourier4j.inference.ModelDirectory;
import org.fourier4j.inference.Preprocessing;
import org.fourier4j.train.ModelFactory;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainData;
import org.fourier4j.train.TrainProgress;
import org.fourier4j.train.TrainingRun;

/** The two phases of {@code bench soak}: training, then inference, with memory samples. */
final class Soak {

    /** The default model of {@code bench soak}. */
    static final String DEFAULT_MODEL = "fit-tiny";

    /** Its size (before the user's overrides): a small FiT. */
    private static final Map<String, Object> SMALL =
            Map.of(
                    "embed_dim", 32,
                    "num_layers", 2,
                    "dim_feedforward", 64,
                    "patch_size", 8,
                    "batch_size", 32);

    private Soak() {}

    /**
     * Trains for a number of steps in {@code work/soak}, sampling memory every {@code steps /
     * samples} steps (and before the first).
     */
    static void train(
            Path work,
            String model,
            String data,
            List<String> overrides,
            int steps,
            int samples,
            MemorySampler sampler) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("model", model);
        TrainConfig c = TrainConfig.defaults().with(base, "(bench soak)");
        c = c.with(model.equals(DEFAULT_MODEL) ? SMALL : Map.of("batch_size", 32), "(bench soak)");
        if (data != null) {
            c = c.override("dataset_path", data);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--override needs KEY=VALUE, got '" + o + "'");
            }
            c = c.override(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
        }
        String path = c.data().datasetPath();
        if (c.model().imgSize() == null
                && (path.equals(BundledSample.DATASET_PATH)
                        || CifarReader.looksLikeCifar(Path.of(path)))) {
            c = c.with(Map.of("img_size", CifarFormat.SIZE), "(resolved)");
        }
        Shape input = c.model().inputShape();
        TrainData d = TrainData.load(c, input);
        int perEpoch =
                Math.max(
                        1, d.train().size() / c.data().batchSize() / c.optimisation().accumSteps());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("num_classes", d.train().numClasses());
        run.put("save_dir", work.toString());
        run.put("run_name", "soak");
        run.put("progress", true);
        run.put("max_steps", steps);
        run.put("epochs", steps / perEpoch + 1);
        c = c.with(run, "(bench soak)");
        long every = Math.max(1, steps / samples);
        TrainProgress log = TrainProgress.of(TrainProgress.Mode.AUTO);
        TrainingRun.start(c, ModelFactory.zoo(c), d)
                .withProgress(
                        new TrainProgress() {
                            private long count;

                            @Override
                            public void start(String task, long total, long done) {
                                if (count == 0) {
                                    sampler.sample("train", 0);
                                }
                                log.start(task, total, done);
                            }

                            @Override
                            public void update(long done, double loss, double acc, double ips) {
                                count++;
                                log.update(done, loss, acc, ips);
                                if (count % every == 0) {
                                    sampler.sample("train", count);
                                }
                            }

                            @Override
                            public void close() {
                                log.close();
                            }
                        })
                .run();
    }

    /**
     * Runs single-image inferences with a checkpoint's model, sampling memory every {@code calls /
     * samples} calls (and before the first).
     */
    static void infer(Path checkpoint, int calls, int samples, MemorySampler sampler) {
        try (LoadedModel m = ModelDirectory.open(checkpoint)) {
            ModelCard card = m.card();
            int c = card.inChannels();
            int size = card.imageSize();
            SplittableRandom rng = new SplittableRandom(7);
            byte[][] pixels = new byte[64][c * size * size];
            for (byte[] p : pixels) {
                for (int i = 0; i < p.length; i++) {
                    p[i] = (byte) rng.nextInt(256);
                }
            }
            ImageSet set =
                    new ImageSet(
                            c,
                            size,
                            size,
                            pixels,
                            new int[pixels.length],
                            card.classes(),
                            "random");
            Preprocessing pre = card.preprocessing();
            long every = Math.max(1, calls / samples);
            sampler.sample("infer", 0);
            try (BatchLoader loader =
                    new BatchLoader(
                            set,
                            new ChannelStats(pre.mean(), pre.std()),
                            Augmentation.none(),
                            new BatchLoader.Options(1, false, false, 0, 1, 0))) {
                int done = 0;
                for (int epoch = 0; done < calls; epoch++) {
                    try (BatchLoader.EpochIterator it = loader.epoch(epoch, 0)) {
                        while (it.hasNext() && done < calls) {
                            var b = it.next();
                            try (NDManager scope = m.manager().newSubManager()) {
                                m.logits(b.inputs(scope)).toFloatArray();
                            }
                            done++;
                            if (done % every == 0) {
                                sampler.sample("infer", done);
                            }
                        }
                    }
                }
            }
        }
    }
}
