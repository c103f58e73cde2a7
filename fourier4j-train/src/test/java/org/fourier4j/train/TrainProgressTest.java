package org.fourier4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The two progress displays: a bar redrawn with carriage returns, and plain lines for logs. */
class TrainProgressTest {

    private static final long S = 1_000_000_000L;

    @Test
    void linesAreOnePerEpochAndOneEveryIntervalWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        TrainProgress p =
                TrainProgress.lines(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), 30, clock::get);
        for (int epoch = 1; epoch <= 2; epoch++) {
            p.start("epoch " + epoch + "/2", 100, 0);
            for (int step = 1; step <= 100; step++) {
                clock.addAndGet(S); // a step a second: lines at 30, 60 and 90 s
                p.update(step, 2.0 / step, step / 100.0, 64);
            }
            p.close();
        }
        p.close(); // closing twice prints nothing more
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        List<String> lines = out.lines().toList();
        assertEquals(8, lines.size(), out);
        assertEquals(
                "epoch 1/2: 30/100 steps (30%), 30.0 s, ETA 1:10 min, loss 0.0667, acc 30.0%,"
                        + " 64 img/s",
                lines.get(0));
        assertEquals(
                "epoch 1/2: 100/100 steps, 1:40 min, loss 0.0200, acc 100.0%, 64 img/s",
                lines.get(3));
        assertTrue(lines.get(4).startsWith("epoch 2/2: 30/100 steps (30%)"), lines.get(4));
    }

    @Test
    void aResumedEpochCountsItsEtaFromTheStepsDoneHere() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        TrainProgress p =
                TrainProgress.lines(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8), 10, clock::get);
        p.start("epoch 3/3", 40, 30);
        clock.addAndGet(10 * S);
        p.update(35, 1, 0.5, 10); // 5 steps in 10 s: 5 more take 10 s
        p.close();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(
                "epoch 3/3: 35/40 steps (88%), 10.0 s, ETA 10.0 s, loss 1.0000, acc 50.0%, 10"
                        + " img/s",
                lines.get(0));
        assertEquals(2, lines.size());
    }

    @Test
    void theBarRedrawsWithCarriageReturns() {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            TrainProgress p = TrainProgress.of(TrainProgress.Mode.BAR);
            p.start("epoch 1/1", 10, 0);
            p.update(5, 1, 0.5, 10);
            p.close();
        } finally {
            System.setErr(old);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\r") && out.contains("epoch 1/1"), out);
    }

    @Test
    void modesParse() {
        assertEquals(TrainProgress.Mode.LINES, TrainProgress.Mode.parse(" Lines"));
        ConfigException e =
                assertThrows(ConfigException.class, () -> TrainProgress.Mode.parse("fancy"));
        assertEquals("progress must be auto, bar, lines or none, got 'fancy'", e.getMessage());
    }

    /** Prints whether stderr is a terminal (run in a child JVM by the test below). */
    public static void main(String[] args) {
        System.out.println("stderr terminal: " + TrainProgress.stderrIsTerminal());
    }

    @Test
    void stderrIsATerminalUnderAPseudoTerminalAndNotWhenRedirected() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        String probe = java + " -cp " + cp + " " + TrainProgressTest.class.getName();
        assertEquals(
                "stderr terminal: false",
                output(new ProcessBuilder("sh", "-c", probe + " 2>/dev/null")).strip());
        assertEquals(
                "stderr terminal: false",
                output(new ProcessBuilder("sh", "-c", probe + " 2>&1 | cat")).strip());
        // script(1) runs the command on a new pseudo-terminal
        Assumptions.assumeTrue(
                new java.io.File("/usr/bin/script").canExecute(), "script(1) is not installed");
        ProcessBuilder pty = new ProcessBuilder("/usr/bin/script", "-qec", probe, "/dev/null");
        pty.environment().put("TERM", "xterm");
        assertTrue(output(pty).contains("stderr terminal: true"));
    }

    private static String output(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
