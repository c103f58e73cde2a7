package org.fourier4j.inference.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.fourier4j.models.ImageClassifier;
import org.fourier4j.models.ModelOptions;
import org.fourier4j.models.ModelZoo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL plan compiled to time a model against another engine is freed when the other engine wins
 * (it holds a folded copy of the weights that model never uses again) and kept when DJL wins.
 */
class ModelEnginesPlanTest {

    private static final int CLASSES = 3;

    @TempDir Path home;

    private String savedHome;

    @BeforeEach
    void isolate() {
        savedHome = System.getProperty("fourier4j.home");
        System.setProperty("fourier4j.home", home.toString());
    }

    @AfterEach
    void restore() {
        if (savedHome == null) {
            System.clearProperty("fourier4j.home");
        } else {
            System.setProperty("fourier4j.home", savedHome);
        }
    }

    /** An engine that answers zeros after {@code delayMs}. */
    private record FakeEngine(String name, long delayMs) implements InferenceEngine {
        @Override
        public String version() {
            return "test";
        }

        @Override
        public Runner open(ImageClassifier model, int height, int width, int threads) {
            return new Runner() {
                @Override
                public float[] logits(float[] input, long[] shape) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new float[Math.toIntExact(shape[0]) * CLASSES];
                }

                @Override
                public void close() {}
            };
        }
    }

    private static ImageClassifier tinyGfNet(NDManager m) {
        ImageClassifier net =
                ModelZoo.create(
                        "gfnet-ti",
                        ModelOptions.builder()
                                .numClasses(CLASSES)
                                .imageSize(16)
                                .override("dims", "8")
                                .override("depths", "1")
                                .override("patch_size", 4)
                                .build());
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        return net;
    }

    @Test
    void theOtherEngineWinningFreesThePlanTimedForTheChoice() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier net = tinyGfNet(m);
            NDArray x = m.randomNormal(new Shape(2, 3, 16, 16));
            try (ModelEngines engines =
                    new ModelEngines(
                            "tiny instant",
                            net,
                            EngineChoice.AUTO,
                            List.of(new FakeEngine("instant", 0)))) {
                assertEquals("instant", engines.engineFor(x));
                assertFalse(engines.planCompiled());
                assertArrayEquals(new float[2 * CLASSES], engines.logits(x).toFloatArray());
                assertFalse(engines.planCompiled(), "logits in the other engine need no plan");
            }
        }
    }

    @Test
    void djlWinningKeepsThePlanTimedForTheChoice() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier net = tinyGfNet(m);
            NDArray x = m.randomNormal(new Shape(2, 3, 16, 16));
            try (ModelEngines engines =
                    new ModelEngines(
                            "tiny sluggish",
                            net,
                            EngineChoice.AUTO,
                            List.of(new FakeEngine("sluggish", 100)))) {
                assertEquals(EngineChoice.DJL, engines.engineFor(x));
                assertTrue(engines.planCompiled());
                assertEquals(new Shape(2, CLASSES), engines.logits(x).getShape());
            }
        }
    }
}
