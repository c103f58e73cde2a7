package org.fourier4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the torch.save reader, in both modes (foreign globals refused, and turned into
 * placeholders): whatever the bytes, it either reads every tensor or throws a {@link
 * WeightFileException}; no other exception, no hang, no allocation beyond the file's size.
 *
 * <p>{@code file} mutates whole .pth files (the zip layer); {@code pickle} mutates only data.pkl,
 * read as the pickle of an archive with storages {@code data/0} .. {@code data/15} of 512 bytes
 * each (past the zip layer and its CRC check, thousands of inputs a second). {@code mvn -B verify}
 * replays the corpora in src/test/resources/org/fourier4j/io/TorchCheckpointFuzzTestInputs. To fuzz
 * one (the machine is shared: nice it), with coverage of the zip and pickle libraries too:
 *
 * <pre>
 * JAZZER_FUZZ=1 nice mvn -B test -pl fourier4j-io -am -Dtest='TorchCheckpointFuzzTest#pickle' \
 *     -Dsurefire.failIfNoSpecifiedTests=false "-Dfourier4j.test.argLine=-Xss4m -Dai.djl.offline=true
 *     -Djazzer.instrumentation_includes=org.fourier4j.**:net.razorvine.**:org.apache.commons.compress.**"
 * </pre>
 *
 * It runs for {@code maxDuration} (raise it to fuzz longer); an input that fails is written into
 * the corpus directory and must stay there as a regression test.
 */
class TorchCheckpointFuzzTest {
    private static final Path FILE = FuzzFiles.scratch(".pth");
    private static final TorchCheckpoint.Options STRICT = TorchCheckpoint.Options.defaults();
    private static final TorchCheckpoint.Options PLACEHOLDERS =
            STRICT.foreignObjectsAsPlaceholders(true);
    private static final Path TEMPLATE_FILE = FuzzFiles.scratch(".pth");
    private static final FileSource TEMPLATE_SOURCE;
    private static final TorchArchive TEMPLATE;

    static {
        try {
            Files.write(TEMPLATE_FILE, archive(new byte[] {'.'}));
            TEMPLATE_SOURCE = FileSource.open(TEMPLATE_FILE);
            TEMPLATE = TorchArchive.open(TEMPLATE_FILE, TEMPLATE_SOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void file(byte[] data) throws IOException {
        Files.write(FILE, data);
        readBothWays(data.length);
    }

    @FuzzTest(maxDuration = "5m")
    void pickle(byte[] data) throws IOException {
        for (TorchCheckpoint.Options options :
                new TorchCheckpoint.Options[] {STRICT, PLACEHOLDERS}) {
            try {
                // not closed: the template archive stays open for the next input
                StateDict sd =
                        TorchCheckpoint.fromPickle(
                                TEMPLATE_FILE, TEMPLATE_SOURCE, TEMPLATE, data, options);
                FuzzFiles.readEveryTensor(sd, TEMPLATE_SOURCE.size());
            } catch (WeightFileException expected) {
                // the documented refusal
            }
        }
    }

    private static void readBothWays(long size) throws IOException {
        for (TorchCheckpoint.Options options :
                new TorchCheckpoint.Options[] {STRICT, PLACEHOLDERS}) {
            try (StateDict sd = TorchCheckpoint.read(FILE, options)) {
                FuzzFiles.readEveryTensor(sd, size);
            } catch (WeightFileException expected) {
                // the documented refusal
            }
        }
    }

    /** A torch.save-like zip around {@code pickle}, with sixteen 512-byte storages. */
    static byte[] archive(byte[] pickle) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", pickle);
            byte[] storage = new byte[512];
            for (int i = 0; i < storage.length; i++) {
                storage[i] = (byte) (i * 37);
            }
            for (int key = 0; key < 16; key++) {
                stored(zip, "archive/data/" + key, storage);
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        entry.setTime(315532800000L);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
