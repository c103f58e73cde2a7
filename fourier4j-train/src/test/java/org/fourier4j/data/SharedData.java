package org.fourier4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the shared CIFAR-10 set next to the project, or skips the calling test. */
public final class SharedData {

    private SharedData() {}

    /**
     * @return the shared {@code cifar-10-batches-bin} directory
     * @throws org.opentest4j.TestAbortedException (a skip) when it is absent, as in a user's clone
     */
    public static Path cifar10OrSkip() {
        // -Dfourier4j.shared.cifar10=DIR points elsewhere; otherwise the project's ../shared,
        // seen from the module directory (Maven's working directory) or from the project root
        String override = System.getProperty("fourier4j.shared.cifar10");
        String[] candidates =
                override != null
                        ? new String[] {override}
                        : new String[] {
                            "../../shared/data/cifar-10-batches-bin",
                            "../shared/data/cifar-10-batches-bin"
                        };
        for (String p : candidates) {
            Path d = Path.of(p);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        Assumptions.abort(
                "skipped: the shared CIFAR-10 set (../shared/data/cifar-10-batches-bin next to the"
                        + " project) is absent, as in a fresh clone");
        throw new AssertionError("unreachable");
    }
}
