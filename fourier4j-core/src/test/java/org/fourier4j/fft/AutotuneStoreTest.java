package org.fourier4j.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutotuneStoreTest {

    static final AutotuneStamp STAMP =
            new AutotuneStamp("1.0-test", "Engine 9.9 (DJL 0.0)", "cpu x2");

    @TempDir Path dir;

    static String value(int i) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("choice", i % 2 == 0 ? "FFT" : "DIRECT");
        STAMP.addTo(f, Instant.EPOCH);
        return AutotuneStore.encode(f);
    }

    private AutotuneStore store(Path file) {
        return new AutotuneStore(file, STAMP);
    }

    private static long keysWith(Map<String, String> m, String prefix) {
        return m.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    @Test
    void twoJvmsWritingAtOnceKeepBothSetsOfEntries() throws Exception {
        Path file = dir.resolve("conv-autotune.properties");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                AutotuneStoreChild.class.getName(),
                                file.toString(),
                                "decision.child-",
                                "40")
                        .redirectErrorStream(true)
                        .start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            AutotuneStore mine = store(file);
            for (int i = 0; i < 40; i++) {
                assertTrue(mine.put("decision.parent-" + i, value(i)));
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child still running");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue());
        Map<String, String> all = store(file).load();
        assertEquals(40, keysWith(all, "decision.parent-"));
        assertEquals(40, keysWith(all, "decision.child-"));
    }

    @Test
    void threadsWithTheirOwnStoresKeepEveryEntry() throws Exception {
        Path file = dir.resolve("conv-autotune.properties");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String prefix = "decision.t" + t + "-";
            AutotuneStore s = store(file);
            threads.add(
                    new Thread(
                            () -> {
                                for (int i = 0; i < 15; i++) {
                                    s.put(prefix + i, value(i));
                                }
                            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(60, keysWith(store(file).load(), "decision.t"));
    }

    @Test
    void aCorruptFileIsIgnoredWithOneWarningAndRebuilt() throws Exception {
        Path file = dir.resolve("conv-autotune.properties");
        Files.write(
                file,
                "format=fourier4j-conv-autotune/2\nx=\\u12".getBytes(StandardCharsets.ISO_8859_1));
        AutotuneStore s = store(file);
        assertTrue(s.load().isEmpty());
        assertTrue(s.load().isEmpty());
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("unreadable"), s.warnings().get(0));
        assertTrue(s.put("decision.a", value(0)));
        AutotuneStore again = store(file);
        assertEquals(List.of("decision.a"), new ArrayList<>(again.load().keySet()));
        assertTrue(again.warnings().isEmpty(), "rebuilt: " + again.warnings());
    }

    @Test
    void foreignAndOlderFilesAreIgnoredWithOneWarningAndRebuilt() throws Exception {
        String[][] cases = {
            {"user.name=someone\ncolor=blue\n", "not a fourier4j autotune cache"},
            {"decision.conv2d\\ n1=FFT|MEASURED|1.0|2.0\n", "older fourier4j"},
            {"format=fourier4j-conv-autotune/7\ndecision.x=a\\=b\n", "format"},
        };
        for (String[] c : cases) {
            Path file = Files.createTempFile(dir, "cache", ".properties");
            Files.writeString(file, c[0], StandardCharsets.ISO_8859_1);
            AutotuneStore s = store(file);
            assertTrue(s.load().isEmpty(), c[0]);
            s.load();
            assertEquals(1, s.warnings().size(), c[0] + s.warnings());
            assertTrue(s.warnings().get(0).contains(c[1]), s.warnings().get(0));
            assertTrue(s.put("decision.b", value(1)));
            AutotuneStore again = store(file);
            assertEquals(1, again.load().size());
            assertNull(again.read().problem);
        }
        // binary garbage
        Path bin = dir.resolve("garbage.properties");
        byte[] noise = new byte[512];
        new java.util.Random(7).nextBytes(noise);
        Files.write(bin, noise);
        AutotuneStore s = store(bin);
        assertTrue(s.load().isEmpty());
        assertEquals(1, s.warnings().size());
    }

    @Test
    void entriesOfAnotherVersionAreIgnoredWithOneWarningAndDroppedAtTheNextWrite() {
        Path file = dir.resolve("conv-autotune.properties");
        AutotuneStore old = store(file);
        for (int i = 0; i < 3; i++) {
            old.put("decision.old-" + i, value(i));
        }
        AutotuneStamp upgraded = new AutotuneStamp("1.1-test", STAMP.engine, STAMP.cpu);
        AutotuneStamp otherEngine = new AutotuneStamp(STAMP.fourier4j, "Engine 10.0", STAMP.cpu);
        for (AutotuneStamp now : new AutotuneStamp[] {upgraded, otherEngine}) {
            AutotuneStore s = new AutotuneStore(file, now);
            assertTrue(s.load().isEmpty());
            s.load();
            assertEquals(1, s.warnings().size(), s.warnings().toString());
            assertTrue(s.warnings().get(0).contains("3 entries"), s.warnings().get(0));
        }
        AutotuneStore s = new AutotuneStore(file, upgraded);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("choice", "FFT");
        upgraded.addTo(f, Instant.EPOCH);
        s.put("decision.new", AutotuneStore.encode(f));
        assertEquals(1, s.read().current.size());
        assertTrue(s.read().stale.isEmpty(), "the old version's entries are dropped");
    }

    @Test
    void aCrashDuringAWriteLeavesTheOldFileIntact() throws Exception {
        Path file = dir.resolve("conv-autotune.properties");
        AutotuneStore s = store(file);
        assertTrue(s.put("decision.kept", value(0)));
        byte[] before = Files.readAllBytes(file);
        s.setWriter(
                (channel, bytes) -> {
                    bytes.limit(bytes.limit() / 2);
                    channel.write(bytes);
                    throw new IOException("simulated crash mid-write");
                });
        assertFalse(s.put("decision.lost", value(1)));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(1, s.warnings().size());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "temporary file left");
        }
        assertEquals(List.of("decision.kept"), new ArrayList<>(store(file).load().keySet()));
    }

    @Test
    void fieldsRoundTripAndMalformedValuesAreRejected() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("a", "1");
        f.put("reason", "x;y=z");
        Map<String, String> back = AutotuneStore.fields(AutotuneStore.encode(f));
        assertEquals("x,y:z", back.get("reason"));
        assertEquals(List.of("a", "reason"), new ArrayList<>(back.keySet()));
        assertNull(AutotuneStore.fields("FFT|MEASURED|1|2"));
        assertNull(AutotuneStore.fields("a=1;b"));
        assertNull(AutotuneStore.fields(""));
    }
}
