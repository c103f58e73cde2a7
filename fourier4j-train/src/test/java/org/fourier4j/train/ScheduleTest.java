package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void oneCycleAtKeyStepsAsPyTorch() {
        // OneCycleLR(max_lr=0.005, total_steps=100): initial 0.005/25, peak at step 29
        // (0.3 * 100 - 1), final 0.0002 / 1e4 at step 99
        OneCycleSchedule s = new OneCycleSchedule(0.005, 100, 0.3, 25, 1e4, true, 0.85, 0.95);
        assertEquals(0.0002, s.lr(0), 1e-15);
        assertEquals(0.0014758197423205034, s.lr(10), 1e-15);
        assertEquals(0.005, s.lr(29), 1e-15);
        assertEquals(0.004997482676422621, s.lr(30), 1e-15);
        assertEquals(0.00250001, s.lr(64), 1e-15);
        assertEquals(2e-8, s.lr(99), 1e-18);
        // momentum moves the other way: 0.95 -> 0.85 at the peak -> 0.95
        assertEquals(0.95, s.momentum(0), 1e-15);
        assertEquals(0.85, s.momentum(29), 1e-15);
        assertEquals(0.90, s.momentum(64), 1e-12);
        assertEquals(0.95, s.momentum(99), 1e-15);
        assertTrue(
                Double.isNaN(
                        new OneCycleSchedule(0.005, 100, 0.3, 25, 1e4, false, 0.85, 0.95)
                                .momentum(5)));
    }

    @Test
    void warmupThenCosine() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(0.1, 0.001, 10, 110);
        assertEquals(0.0, s.lr(0), 0);
        assertEquals(0.05, s.lr(5), 1e-15);
        assertEquals(0.1, s.lr(10), 1e-15);
        assertEquals((0.1 + 0.001) / 2, s.lr(60), 1e-15);
        assertEquals(0.001 + 0.099 * (1 + Math.cos(Math.PI * 99 / 100)) / 2, s.lr(109), 1e-15);
        assertThrows(
                IllegalArgumentException.class, () -> new WarmupCosineSchedule(0.1, 0, 10, 10));
    }

    @Test
    void fromConfig() {
        TrainConfig c =
                TrainConfig.defaults()
                        .override("schedule", "cosine")
                        .override("epochs", "2")
                        .override("warmup_epochs", "0.5")
                        .override("lr", "0.2");
        LrSchedule s = LrSchedule.fromConfig(c, 20);
        assertEquals(40, s.totalSteps());
        assertEquals(0.2, s.lr(10), 1e-15);
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> LrSchedule.fromConfig(c.override("warmup_epochs", "2"), 20));
        assertEquals(
                "warmup_epochs 2.0 (40 steps) must be shorter than the run (40 steps)",
                e.getMessage());
        assertEquals(
                0.001 / 25,
                LrSchedule.fromConfig(TrainConfig.defaults(), 7).lr(0),
                1e-15,
                "default: one-cycle from lr / 25");
        assertEquals(
                0.3,
                LrSchedule.fromConfig(c.override("schedule", "constant").override("lr", "0.3"), 5)
                        .lr(33));
    }
}
