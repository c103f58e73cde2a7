package org.fourier4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A file that cannot be written during a run (a full disk) ends the command with one line naming
 * the file and the cause, and exit code 4.
 */
class IoErrorTest {

    @TempDir Path tmp;

    @Test
    void anIoErrorIsOneLineAndExitCode4() {
        StringWriter err = new StringWriter();
        // as the launcher builds it: the message names the command by its full name
        CommandLine cmd =
                new CommandLine(new Fourier4j())
                        .setErr(new PrintWriter(err, true))
                        .getSubcommands()
                        .get("train");
        int code =
                new ErrorHandler()
                        .handleExecutionException(
                                new UncheckedIOException(
                                        new IOException(
                                                "cannot write /r/last.ckpt: No space left on"
                                                        + " device (the previous last.ckpt is"
                                                        + " unchanged)")),
                                cmd,
                                null);
        assertEquals(ErrorHandler.IO_ERROR, code);
        assertEquals(
                "fourier4j train: I/O error: cannot write /r/last.ckpt: No space left on device"
                        + " (the previous last.ckpt is unchanged)",
                err.toString().strip());
    }

    @Test
    void trainingOntoAFullFilesystemStopsWithOneLine() throws Exception {
        Path mount = Files.createDirectory(tmp.resolve("small-fs"));
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", mount.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            Path out = mount.resolve("run");
            CliRunner r =
                    CliRunner.run(
                            SampleRun.args("train", "--out", out.toString(), "-o", "max_steps=1"));
            assertEquals(ErrorHandler.IO_ERROR, r.exitCode, r.err);
            List<String> lines = r.err.strip().lines().toList();
            assertEquals(
                    "fourier4j train: I/O error: cannot write "
                            + out.resolve("last.ckpt")
                            + ": No space left on device",
                    lines.get(lines.size() - 1));
            assertTrue(Files.exists(out.resolve("config.json")));
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
