package org.fourier4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemorySamplerTest {

    private static MemorySampler.Sample s(long count, double rss) {
        return new MemorySampler.Sample("train", count, rss, 1, 0);
    }

    @Test
    void growthIsMeasuredFromTheFirstSampleAfterWarmup() {
        // warm-up (0 to 10% of 1000 steps) grows a lot; after it, 200 -> 210 MiB is 5%
        List<MemorySampler.Sample> curve =
                List.of(s(0, 100), s(50, 180), s(100, 200), s(500, 205), s(1000, 210));
        assertEquals(0.05, MemorySampler.growthAfterWarmup(curve, 0.1), 1e-12);
        assertTrue(Double.isNaN(MemorySampler.growthAfterWarmup(List.of(s(0, 1)), 0.1)));
    }

    @Test
    void residentMemoryIsReadOnLinux() {
        double rss = MemorySampler.rssMb();
        assertTrue(
                Double.isNaN(rss) != new java.io.File("/proc/self/status").exists(),
                "VmRSS " + rss);
        if (!Double.isNaN(rss)) {
            assertTrue(rss > 10, "a JVM's resident set is more than 10 MiB: " + rss);
        }
    }
}
