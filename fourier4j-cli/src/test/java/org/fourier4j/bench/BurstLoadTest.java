package org.fourier4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BurstLoadTest {

    @Test
    void theChildProcessEndsByItselfAfterItsTime() throws Exception {
        Process p = BurstLoad.start(5, 5, 1, 0.3);
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "load process still running");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theChildProcessCanBeStopped() throws Exception {
        Process p = BurstLoad.start(5, 5, 1, 3600);
        p.destroy();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "load process ignored destroy()");
    }
}
