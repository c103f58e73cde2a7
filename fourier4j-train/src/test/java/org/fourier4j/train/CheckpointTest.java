package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fourier4j.files.AtomicFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir Path tmp;

    private static Block mlp(NDManager m, int hidden) {
        Block b = TinyModels.mlp(hidden, 4);
        b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 2, 2));
        return b;
    }

    private static TrainingState state(String model, Block b) {
        RunProgress p = new RunProgress();
        p.epochsCompleted = 1;
        p.globalStep = 7;
        p.lastLr = 0.001;
        p.bestEpoch = 1;
        p.bestValTop1 = 0.5;
        p.elapsedSeconds = 12.5;
        p.lastStepSeconds = 0.25;
        p.lastEvalSeconds = 1.5;
        return new TrainingState(
                Checkpoint.FORMAT,
                Checkpoint.VERSION,
                model,
                new long[] {3, 2, 2},
                4,
                List.of("a", "b", "c", "d"),
                p,
                1,
                42,
                "test",
                "adamw",
                7,
                "onecycle",
                0,
                1,
                2,
                new double[] {0.5, 0.4, 0.3},
                new double[] {0.25, 0.2, 0.15},
                Checkpoint.parameterTable(b),
                Map.of("lr", 0.001),
                "now");
    }

    private static void write(Path f, String model, Block b) throws IOException {
        Checkpoint.write(f, state(model, b), Checkpoint.parameterTensors(b), List.of(), null);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void roundTripsParametersExactly() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = mlp(m, 8);
            Path f = tmp.resolve("a.ckpt");
            Checkpoint.write(
                    f,
                    state("tiny-mlp", a),
                    Checkpoint.parameterTensors(a),
                    List.of(HostTensor.of("exp_avg/x", m.ones(new Shape(2)))),
                    Checkpoint.parameterTensors(a));
            Block b = mlp(m, 8);
            Checkpoint.Loaded c = Checkpoint.loadWeights(f, b, "tiny-mlp", false);
            assertEquals(7, c.state().progress().globalStep());
            assertEquals(0.001, c.state().config().get("lr"));
            assertEquals(List.of("a", "b", "c", "d"), c.state().classes());
            assertArrayEquals(new double[] {0.5, 0.4, 0.3}, c.state().normalizeMean(), 0);
            assertArrayEquals(new double[] {0.25, 0.2, 0.15}, c.state().normalizeStd(), 0);
            for (var p : a.getParameters()) {
                assertArrayEquals(
                        p.getValue().getArray().toFloatArray(),
                        b.getParameters().get(p.getKey()).getArray().toFloatArray(),
                        0f);
            }
            assertEquals(new Shape(2), c.optimizer().get("exp_avg/x").shape());
            assertEquals(List.of(f), files(tmp), "no temporary file left");
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousCheckpointIntact() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = mlp(m, 8);
            Path f = tmp.resolve("last.ckpt");
            write(f, "tiny-mlp", a);
            byte[] good = Files.readAllBytes(f);
            List<HostTensor> real = Checkpoint.parameterTensors(a);
            // a tensor list that fails part way through the write (as a full disk would)
            List<HostTensor> failing =
                    new AbstractList<>() {
                        @Override
                        public HostTensor get(int i) {
                            if (i == 2) {
                                throw new IllegalStateException("disk full (simulated)");
                            }
                            return real.get(i);
                        }

                        @Override
                        public int size() {
                            return real.size();
                        }
                    };
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    Checkpoint.write(
                                            f, state("tiny-mlp", a), failing, List.of(), null));
            assertEquals("disk full (simulated)", e.getMessage());
            assertArrayEquals(good, Files.readAllBytes(f), "the good checkpoint is untouched");
            assertEquals(List.of(f), files(tmp), "the temporary file was removed");
            Checkpoint.loadWeights(f, mlp(m, 8), "tiny-mlp", false);
        }
    }

    @Test
    void aCrashMidWriteLeavesOnlyATemporaryThatIsCleanedUp() throws IOException {
        Path f = Files.writeString(tmp.resolve("last.ckpt"), "previous");
        // what kill -9 during a write leaves: a partial temporary beside the intact target
        Files.writeString(tmp.resolve(".last.ckpt.123456.tmp"), "partial");
        assertEquals(1, AtomicFiles.deleteStaleTemporaries(tmp));
        assertEquals(List.of(f), files(tmp));
        assertEquals("previous", Files.readString(f));
        AtomicFiles.writeString(f, "next");
        assertEquals("next", Files.readString(f));
    }

    @Test
    void anotherShapeListsTheMismatchedParameters() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = tmp.resolve("a.ckpt");
            write(f, "tiny-mlp", mlp(m, 8));
            Block wider = mlp(m, 16);
            float[] before = wider.getParameters().get("02Linear_weight").getArray().toFloatArray();
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> Checkpoint.loadWeights(f, wider, "tiny-mlp", false));
            assertEquals(
                    "checkpoint "
                            + f
                            + " does not fit model 'tiny-mlp': 3 parameter(s) differ:"
                            + " shape differs for 1.weight (checkpoint (8, 12), model (16,"
                            + " 12)), 1.bias (checkpoint (8), model (16)), 3.weight"
                            + " (checkpoint (4, 8), model (4, 16))",
                    e.getMessage());
            assertArrayEquals(
                    before,
                    wider.getParameters().get("02Linear_weight").getArray().toFloatArray(),
                    0f,
                    "nothing was copied");
        }
    }

    @Test
    void anotherModelListsMissingAndExtraParameters() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = tmp.resolve("a.ckpt");
            write(f, "tiny-mlp", mlp(m, 8));
            Block other =
                    new SequentialBlock()
                            .add(ai.djl.nn.Blocks.batchFlattenBlock())
                            .add(Linear.builder().setUnits(8).build())
                            .add(Linear.builder().setUnits(4).optBias(false).build());
            other.initialize(m, DataType.FLOAT32, new Shape(1, 3, 2, 2));
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> Checkpoint.loadWeights(f, other, "linear2", false));
            assertEquals(
                    "checkpoint "
                            + f
                            + " was written for model 'tiny-mlp', not 'linear2'; 3"
                            + " parameter(s) differ: missing from the checkpoint: 2.weight"
                            + " (4, 8); not in the model: 3.weight (4, 8), 3.bias (4)",
                    e.getMessage());
        }
    }

    @Test
    void corruptOrForeignFilesAreNamed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = mlp(m, 8);
            Path junk = Files.writeString(tmp.resolve("junk.ckpt"), "not a zip at all");
            CheckpointException e1 =
                    assertThrows(CheckpointException.class, () -> Checkpoint.read(junk));
            assertTrue(
                    e1.getMessage()
                            .startsWith(junk + " is not a fourier4j checkpoint or is corrupt"),
                    e1.getMessage());

            Path good = tmp.resolve("good.ckpt");
            write(good, "tiny-mlp", b);
            byte[] bytes = Files.readAllBytes(good);
            Path cut =
                    Files.write(
                            tmp.resolve("cut.ckpt"),
                            java.util.Arrays.copyOf(bytes, bytes.length / 2));
            CheckpointException e2 =
                    assertThrows(CheckpointException.class, () -> Checkpoint.read(cut));
            assertTrue(e2.getMessage().startsWith(cut + " "), e2.getMessage());

            Path zip = tmp.resolve("other.zip");
            try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
                z.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
                z.write(1);
            }
            assertEquals(
                    zip + " is not a fourier4j checkpoint (no checkpoint.json inside)",
                    assertThrows(CheckpointException.class, () -> Checkpoint.read(zip))
                            .getMessage());
            Path missing = tmp.resolve("none.ckpt");
            assertEquals(
                    "checkpoint not found: " + missing,
                    assertThrows(CheckpointException.class, () -> Checkpoint.read(missing))
                            .getMessage());
        }
    }

    @Test
    void checkpointsWrittenBeforeClassesAndNormalisationWereRecordedStillRead() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = mlp(m, 8);
            Path good = tmp.resolve("good.ckpt");
            write(good, "tiny-mlp", b);
            Path old = tmp.resolve("old.ckpt");
            try (var in = new java.util.zip.ZipFile(good.toFile());
                    var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(old))) {
                for (var e : java.util.Collections.list(in.entries())) {
                    byte[] data = in.getInputStream(e).readAllBytes();
                    if (e.getName().equals("checkpoint.json")) {
                        var json = new com.fasterxml.jackson.databind.ObjectMapper();
                        var node =
                                (com.fasterxml.jackson.databind.node.ObjectNode)
                                        json.readTree(data);
                        assertTrue(node.has("classes") && node.has("normalizeMean"));
                        node.remove(List.of("classes", "normalizeMean", "normalizeStd"));
                        data = json.writeValueAsBytes(node);
                    }
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    out.write(data);
                    out.closeEntry();
                }
            }
            Checkpoint.Loaded c = Checkpoint.read(old);
            assertEquals(null, c.state().classes());
            assertEquals(null, c.state().normalizeMean());
            assertEquals(null, c.state().normalizeStd());
            assertEquals(7, c.state().progress().globalStep());
        }
    }

    @Test
    void loadWeightsPrefersTheAverage() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = mlp(m, 8);
            Block avg = mlp(m, 8);
            Path f = tmp.resolve("a.ckpt");
            Checkpoint.write(
                    f,
                    state("tiny-mlp", a),
                    Checkpoint.parameterTensors(a),
                    List.of(),
                    Checkpoint.parameterTensors(avg));
            Block b = mlp(m, 8);
            Checkpoint.loadWeights(f, b, "tiny-mlp", true);
            assertArrayEquals(
                    avg.getParameters().get("04Linear_weight").getArray().toFloatArray(),
                    b.getParameters().get("04Linear_weight").getArray().toFloatArray(),
                    0f);
        }
    }

    @Test
    void theParametersAreASafetensorsEntryUnderFourier4jNames() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = mlp(m, 8);
            Path f = tmp.resolve("a.ckpt");
            Checkpoint.write(
                    f,
                    state("tiny-mlp", a),
                    Checkpoint.parameterTensors(a),
                    List.of(),
                    Checkpoint.parameterTensors(a));
            Path unzipped = tmp.resolve("model.safetensors");
            try (var zip = new java.util.zip.ZipFile(f.toFile())) {
                assertEquals(
                        List.of(
                                "checkpoint.json",
                                "model.safetensors",
                                "ema.safetensors",
                                "optimizer.bin"),
                        java.util.Collections.list(zip.entries()).stream()
                                .map(java.util.zip.ZipEntry::getName)
                                .toList());
                Files.copy(zip.getInputStream(zip.getEntry("model.safetensors")), unzipped);
            }
            try (org.fourier4j.io.StateDict sd = org.fourier4j.io.Safetensors.read(unzipped)) {
                assertEquals(
                        java.util.Set.of("1.weight", "1.bias", "3.weight", "3.bias"), sd.names());
                assertEquals("tiny-mlp", sd.metadata().get("fourier4j.model"));
                assertArrayEquals(
                        a.getParameters().get("02Linear_weight").getArray().toFloatArray(),
                        sd.get("1.weight").toFloats(),
                        0f);
            }
        }
    }
}
