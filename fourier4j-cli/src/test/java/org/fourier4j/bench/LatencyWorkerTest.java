package org.fourier4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyWorkerTest {

    @Test
    void aVanishedProcessReadsAsNoMemoryInsteadOfFailingThePoll(@TempDir Path dir) {
        // a worker may exit between two polls: its /proc entry is then gone
        assertEquals(-1, LatencyWorker.procStatusKb(dir.resolve("no-such-pid/status"), "VmRSS:"));
    }

    @Test
    void readsTheFieldInKilobytes(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t   98765 kB\n");
        assertEquals(98765, LatencyWorker.procStatusKb(status, "VmRSS:"));
        assertEquals(-1, LatencyWorker.procStatusKb(status, "VmSwap:"));
        assertTrue(LatencyWorker.procStatusKb(Path.of("/proc/self/status"), "VmRSS:") > 0);
    }
}
