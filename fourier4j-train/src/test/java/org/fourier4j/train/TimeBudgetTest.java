package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code time_budget_minutes} on a simulated clock: every training forward pass (one per step)
 * takes one second and every validation batch a tenth, so the tests do not depend on the machine.
 */
class TimeBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private static final TrainData DATA = TestData.bandsData(96, 32, 4, 8); // 12 steps per epoch
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double PEAK_LR = 0.01;

    @TempDir Path tmp;

    private final AtomicLong clock = new AtomicLong();

    /** Advances the simulated clock by the time a pass would take. */
    private static final class Tick extends AbstractBlock {
        private final AtomicLong clock;

        Tick(AtomicLong clock) {
            this.clock = clock;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            clock.addAndGet(training ? SECOND : SECOND / 10);
            return in;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    private ModelFactory model() {
        return ModelFactory.of(
                "tiny-cnn",
                new Shape(3, 8, 8),
                () -> new SequentialBlock().add(TinyModels.cnn(4, 0.2f)).add(new Tick(clock)));
    }

    private TrainConfig config(String name, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>();
        m.put("save_dir", tmp.toString());
        m.put("run_name", name);
        m.put("epochs", 10);
        m.put("batch_size", 8);
        m.put("lr", PEAK_LR);
        m.put("progress", false);
        m.put("num_workers", 1);
        m.putAll(extra);
        return TrainConfig.defaults().with(m, "in the test");
    }

    private TrainSummary train(String name, Map<String, Object> extra) {
        return TrainingRun.start(config(name, extra), model(), DATA).withClock(clock::get).run();
    }

    private JsonNode summary(String name) throws Exception {
        return JSON.readTree(tmp.resolve(name).resolve("summary.json").toFile());
    }

    private List<JsonNode> metrics(String name) throws Exception {
        return Files.readAllLines(tmp.resolve(name).resolve("metrics.jsonl")).stream()
                .map(
                        l -> {
                            try {
                                return JSON.readTree(l);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                .toList();
    }

    @Test
    void aShortBudgetEndsTheRunInTimeWithTheScheduleAnnealed() throws Exception {
        // 10 epochs would take 120 s of steps; the budget is 30 s
        TrainSummary s = train("short", Map.of("time_budget_minutes", 0.5));
        assertEquals("completed", s.status());
        assertEquals("time_budget", s.endedBy());
        assertTrue(s.runSeconds() <= 30, "the run took " + s.runSeconds() + " s of a 30 s budget");
        assertTrue(
                s.runSeconds() >= 25, "the run left the budget unused: " + s.runSeconds() + " s");
        assertTrue(s.globalSteps() > 20 && s.globalSteps() < 30, "steps " + s.globalSteps());

        // every epoch, the cut one included, is validated and recorded
        List<JsonNode> rows = metrics("short");
        assertEquals(s.epochsCompleted(), rows.size());
        JsonNode last = rows.get(rows.size() - 1);
        assertEquals(s.globalSteps(), last.get("global_step").asLong());
        assertTrue(s.globalSteps() % 12 != 0, "the budget cut the last epoch short");
        assertTrue(last.get("val_top1").isNumber());
        // the one-cycle schedule ran its course in the time there was
        assertTrue(
                last.get("lr").asDouble() < 0.02 * PEAK_LR,
                "last learning rate " + last.get("lr").asDouble());
        JsonNode summary = summary("short");
        assertEquals("time_budget", summary.get("ended_by").asText());
        assertEquals(0.5, summary.get("time_budget_minutes").asDouble());

        // resuming a finished run trains nothing more
        TrainSummary again =
                TrainingRun.resume(tmp.resolve("short"), model(), Map.of(), DATA)
                        .withClock(clock::get)
                        .run();
        assertEquals(s.globalSteps(), again.globalSteps());
        assertEquals("time_budget", again.endedBy());
    }

    @Test
    void anAmpleBudgetChangesNothing() throws Exception {
        Map<String, Object> twoEpochs = Map.of("epochs", 2);
        train("plain", twoEpochs);
        TrainSummary budgeted = train("ample", Map.of("epochs", 2, "time_budget_minutes", 60.0));
        assertEquals("epochs", budgeted.endedBy());
        assertEquals(24, budgeted.globalSteps());
        Map<String, HostTensor> a =
                Checkpoint.read(tmp.resolve("plain").resolve("last.ckpt")).params();
        Map<String, HostTensor> b =
                Checkpoint.read(tmp.resolve("ample").resolve("last.ckpt")).params();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
        }
    }

    @Test
    void theTimeOfEarlierProcessesCountsAfterAResume() throws Exception {
        TrainSummary first = train("resumed", Map.of("time_budget_minutes", 0.5, "max_steps", 10));
        assertEquals("max_steps", first.endedBy());
        double before =
                Checkpoint.read(tmp.resolve("resumed").resolve("last.ckpt"))
                        .state()
                        .progress()
                        .elapsedSeconds();
        assertTrue(before >= 10, "checkpointed run time " + before);

        clock.addAndGet(1000 * SECOND); // the time between the kill and the resume is not counted
        TrainSummary rest =
                TrainingRun.resume(tmp.resolve("resumed"), model(), Map.of("max_steps", "0"), DATA)
                        .withClock(clock::get)
                        .run();
        assertEquals("time_budget", rest.endedBy());
        assertTrue(rest.runSeconds() <= 30, "run time " + rest.runSeconds());
        assertTrue(
                rest.seconds() < rest.runSeconds() - 9,
                "this process " + rest.seconds() + " s of " + rest.runSeconds() + " s");
        assertTrue(rest.globalSteps() > 20 && rest.globalSteps() < 30, "" + rest.globalSteps());
    }

    @Test
    void aNegativeBudgetIsRefusedByName() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> config("neg", Map.of("time_budget_minutes", -1.0)));
        assertTrue(e.getMessage().contains("time_budget_minutes"), e.getMessage());
    }

    @Test
    void theBudgetAloneFollowsTheClockAndKeepsTheReserve() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        TimeBudget b = new TimeBudget(1.0, now::get); // 60 s
        assertTrue(b.isOn());
        assertEquals(0, b.elapsedSeconds(), 1e-12);
        double reserve = TimeBudget.endReserveSeconds(2.0, 0.4); // 1.25 * 2.4 + 1 = 4
        assertEquals(4.0, reserve, 1e-12);
        // 28 s of 56 usable: the schedule is at half of its 100 steps, ahead of step 10
        now.addAndGet(28 * SECOND);
        assertEquals(50, b.scheduleStep(10, 100, reserve));
        assertEquals(70, b.scheduleStep(70, 100, reserve), "the steps when they are ahead");
        assertEquals(28.0, b.elapsedSeconds(), 1e-12);
        // a resumed run counts its earlier processes: 30 s before, 28 s now
        b.resumeAfter(30);
        assertEquals(58.0, b.elapsedSeconds(), 1e-12);
        assertEquals(99, b.scheduleStep(10, 100, reserve), "never past the last step");
        assertFalse(b.spent(0.0, 1.0), "58 + 0 + 1 <= 60");
        assertTrue(b.spent(1.5, 1.0), "58 + 1.5 + 1 > 60");
        // without a budget: the steps, never spent
        TimeBudget off = new TimeBudget(0, now::get);
        assertFalse(off.isOn());
        assertEquals(10, off.scheduleStep(10, 100, reserve));
        assertFalse(off.spent(1e9, 1e9));
        assertThrows(IllegalArgumentException.class, () -> new TimeBudget(-1, now::get));
    }
}
