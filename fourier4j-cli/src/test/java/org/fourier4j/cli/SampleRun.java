package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One small training run on the bundled sample, shared by the command tests (training it once keeps
 * them fast): {@code fourier4j train} with a config file and flags, stopped by {@code max_steps} in
 * the second epoch, then {@code fourier4j train --resume} to the end. What each invocation printed
 * and left on disk is kept for the tests to check; tests must not modify {@link #dir} (copy it
 * first).
 */
final class SampleRun {

    /** Epochs of the run; 4,000 images in batches of 200 give 20 steps per epoch. */
    static final int EPOCHS = 2;

    /** The first invocation stops here (epoch 2, step 5). */
    static final int STOP_AT = 25;

    /** Settings that make a model small enough to train in seconds (with --model, embed_dim). */
    static final List<String> TINY =
            List.of(
                    "-o",
                    "num_layers=1",
                    "-o",
                    "dim_feedforward=32",
                    "-o",
                    "patch_size=8",
                    "-o",
                    "randaugment_ops=0",
                    "-o",
                    "progress=false",
                    "-o",
                    "num_workers=1");

    final Path root;
    final Path dir;
    final Path configFile;
    final CliRunner first;
    final List<String> filesAfterFirst;
    final byte[] lastAfterFirst;
    final String summaryAfterFirst;
    final List<String> metricsAfterFirst;
    final CliRunner resumed;

    private static SampleRun instance;

    private SampleRun() throws IOException {
        root = Files.createTempDirectory("fourier4j-cli-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
        dir = root.resolve("run");
        configFile = root.resolve("tiny.yaml");
        // the file sets epochs 5, batch_size 50 and lr 0.5; the flags must win
        Files.writeString(
                configFile,
                "epochs: 5\nbatch_size: 50\nlr: 0.5\nlabel_smoothing: 0.0\nmax_steps: "
                        + STOP_AT
                        + "\n");
        first =
                CliRunner.run(
                        args(
                                "train",
                                "--config",
                                configFile.toString(),
                                "--epochs",
                                String.valueOf(EPOCHS),
                                "--batch-size",
                                "200",
                                "--lr",
                                "0.01",
                                "--out",
                                dir.toString()));
        assertEquals(0, first.exitCode, first.err);
        filesAfterFirst = list(dir);
        lastAfterFirst = Files.readAllBytes(dir.resolve("last.ckpt"));
        summaryAfterFirst = Files.readString(dir.resolve("summary.json"));
        metricsAfterFirst = Files.readAllLines(dir.resolve("metrics.csv"));
        resumed =
                CliRunner.run(
                        "train",
                        "--resume",
                        "--out",
                        dir.toString(),
                        "-o",
                        "max_steps=0",
                        "--format",
                        "json");
        assertEquals(0, resumed.exitCode, resumed.err);
    }

    /**
     * @return the run, trained on first use
     */
    static synchronized SampleRun get() {
        if (instance == null) {
            try {
                instance = new SampleRun();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * @param first the command and its own arguments
     * @return them followed by fit-tiny with width 16 and {@link #TINY}
     */
    static String[] args(String... first) {
        return args("fit-tiny", 16, first);
    }

    /**
     * @param model the model
     * @param embedDim its width
     * @param first the command and its own arguments
     * @return them followed by the model, its width and {@link #TINY}
     */
    static String[] args(String model, int embedDim, String... first) {
        List<String> a = new ArrayList<>(List.of(first));
        a.addAll(List.of("--model", model, "-o", "embed_dim=" + embedDim));
        a.addAll(TINY);
        return a.toArray(new String[0]);
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Copies a run directory (to resume or damage it without touching the shared one).
     *
     * @param target the new directory
     * @return the copy
     */
    Path copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        for (String f : list(dir)) {
            Files.copy(dir.resolve(f), target.resolve(f));
        }
        return target;
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
