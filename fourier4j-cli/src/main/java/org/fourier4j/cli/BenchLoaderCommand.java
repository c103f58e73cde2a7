package org.fourier4j.cli;

import static org.fourier4j.cli.OptionChecks.require;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fourier4j.bench.ResultTable;
import org.fourier4j.data.Augmentation;
import org.fourier4j.data.BundledSample;
import org.fourier4j.data.CifarFormat;
import org.fourier4j.data.CifarReader;
import org.fourier4j.data.LoaderBenchmark;
import org.fourier4j.train.TrainConfig;
import org.fourier4j.train.TrainData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fourier4j bench loader}: images per second of the data pipeline alone (reading,
 * augmentation, normalisation, batching in worker threads), to compare with training's images/s.
 */
@Command(
        name = "loader",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Times the training data pipeline alone, with no model: images per second that the"
                    + " loader delivers (decode, augmentation, normalisation and batching in worker"
                    + " threads with prefetching) for each worker count. Compare with the images/s"
                    + " of fourier4j train: the loader is not the bottleneck when it is faster.",
            "The data, batch size, prefetch and augmentation come from the training"
                    + " configuration (defaults, --config, --override), so the pipeline timed is"
                    + " the one a run with the same options uses.",
            "Columns: augmentation, workers, batch_size, batches, images_per_s."
        })
final class BenchLoaderCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            paramLabel = "DIR|FILE",
            description =
                    "CIFAR-10/100 directory, batch file or .tar.gz, or an image folder. Default:"
                            + " the bundled sample.")
    private String data;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Training configuration file (.json, .yaml, .yml).")
    private Path configFile;

    @Option(
            names = {"-o", "--override"},
            paramLabel = "KEY=VALUE",
            description =
                    "Set a configuration key (repeatable), e.g. -o randaugment_ops=0 -o"
                            + " batch_size=256.")
    private List<String> overrides = new ArrayList<>();

    @Option(
            names = "--workers",
            split = ",",
            defaultValue = "0,1,2",
            description =
                    "Worker thread counts to time (0: the consuming thread does the work)."
                            + " Default: ${DEFAULT-VALUE}.")
    private int[] workers;

    @Option(
            names = "--batches",
            defaultValue = "100",
            description = "Batches timed per worker count. Default: ${DEFAULT-VALUE}.")
    private int batches;

    @Mixin private TableOutput output;

    @Option(names = "--out", description = "Also write the results to this file.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        require(workers.length >= 1, "--workers needs at least one count");
        for (int w : workers) {
            require(w >= 0, "--workers must not be negative, got " + w);
        }
        require(batches >= 1, "--batches must be at least 1, got " + batches);
        TrainConfig c = configFile != null ? TrainConfig.load(configFile) : TrainConfig.defaults();
        if (data != null) {
            c = c.override("dataset_path", data);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            require(eq > 0, "--override needs KEY=VALUE, got '" + o + "'");
            c = c.override(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
        }
        String path = c.data().datasetPath();
        int[] size;
        if (c.model().imgSize() != null) {
            size = new int[] {c.model().imgSize().height(), c.model().imgSize().width()};
        } else if (path.equals(BundledSample.DATASET_PATH)
                || (Files.exists(Path.of(path)) && CifarReader.looksLikeCifar(Path.of(path)))) {
            size = new int[] {CifarFormat.SIZE, CifarFormat.SIZE};
        } else {
            size = new int[] {224, 224}; // the zoo's usual design resolution for image folders
        }
        Shape input = new Shape(c.model().inChans(), size[0], size[1]);
        TrainData d = TrainData.load(c, input);
        Augmentation aug = c.augmentation().augmentation();
        int batchSize = c.data().batchSize();
        System.err.printf(
                Locale.ROOT,
                "bench loader: %s, batch %d, prefetch %d, %d batches per worker count, %d cores%n",
                d.train(),
                batchSize,
                c.data().prefetch(),
                batches,
                Runtime.getRuntime().availableProcessors());
        ResultTable table = new ResultTable();
        for (LoaderBenchmark.Result r :
                LoaderBenchmark.run(
                        d.train(),
                        d.stats(),
                        aug,
                        batchSize,
                        c.data().prefetch(),
                        workers,
                        batches)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("augmentation", aug.describe());
            row.put("workers", r.workers());
            row.put("batch_size", batchSize);
            row.put("batches", r.batches());
            row.put("images_per_s", Math.round(r.imagesPerSecond()));
            table.add(row);
        }
        output.print(table, out);
        return 0;
    }
}
