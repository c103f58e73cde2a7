package org.fourier4j.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    /** A typed error of the content (as a weight file's) must reach the caller as it was. */
    static final class ContentError extends IOException {
        ContentError() {
            super("bad tensor");
        }
    }

    @Test
    void writesCreateParentsAndReplaceTheTarget() throws IOException {
        Path f = dir.resolve("a/b/c.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeChannel(f, ch -> ch.write(ByteBuffer.wrap(new byte[] {'t', 'w', 'o'})));
        assertEquals("two", Files.readString(f));
        AtomicFiles.copy(f, dir.resolve("copy.txt"));
        assertEquals("two", Files.readString(dir.resolve("copy.txt")));
        assertEquals(0, temporaries(f.getParent()));
    }

    @Test
    void theResultIsNotOwnerOnlyAsATempFileWouldBe() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return; // permissions are a POSIX notion
        }
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        assertEquals(
                Files.getPosixFilePermissions(plain).contains(PosixFilePermission.OTHERS_READ),
                Files.getPosixFilePermissions(atomic).contains(PosixFilePermission.OTHERS_READ),
                "same permissions as a file written directly (the umask's)");
    }

    @Test
    void aFailedWriteKeepsTheOldFileNamesItAndLeavesNoTemporary() throws IOException {
        Path f = dir.resolve("kept.txt");
        AtomicFiles.writeString(f, "old");
        IOException plain =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.write(
                                        f,
                                        out -> {
                                            out.write(new byte[10_000]);
                                            throw new IOException("No space left on device");
                                        }));
        assertEquals(
                "cannot write "
                        + f
                        + ": No space left on device (the previous kept.txt is unchanged)",
                plain.getMessage());
        ContentError typed = new ContentError();
        assertSame(
                typed,
                assertThrows(
                        ContentError.class,
                        () ->
                                AtomicFiles.writeChannel(
                                        f,
                                        ch -> {
                                            throw typed;
                                        })));
        assertEquals("old", Files.readString(f));
        assertEquals(0, temporaries(dir));
    }

    @Test
    void staleTemporariesAreRecognisedAndRemoved() throws IOException {
        Files.writeString(dir.resolve(".last.ckpt.123456.tmp"), "partial");
        Files.writeString(dir.resolve("keep.tmp"), "not ours: no leading dot");
        assertTrue(AtomicFiles.isTemporary(dir.resolve(".x.1.tmp")));
        assertFalse(AtomicFiles.isTemporary(dir.resolve("x.tmp")));
        assertEquals(1, AtomicFiles.deleteStaleTemporaries(dir));
        assertTrue(Files.exists(dir.resolve("keep.tmp")));
    }

    private static long temporaries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(AtomicFiles::isTemporary).count();
        }
    }
}
