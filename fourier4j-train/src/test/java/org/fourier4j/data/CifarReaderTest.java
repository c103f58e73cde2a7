package org.fourier4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir Path tmp;

    private static byte[] cifar10Bytes(ImageSet set) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarReader.writeCifar10(out, set);
        return out.toByteArray();
    }

    private static byte[] record10(int label, int fill) {
        byte[] r = new byte[3073];
        r[0] = (byte) label;
        Arrays.fill(r, 1, r.length, (byte) fill);
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsACifar10DirectoryInNumericFileOrderWithClassNames() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("c10"));
        Files.write(dir.resolve("data_batch_1.bin"), concat(record10(3, 1), record10(9, 2)));
        Files.write(dir.resolve("data_batch_2.bin"), record10(0, 3));
        Files.write(dir.resolve("data_batch_10.bin"), record10(5, 4));
        Files.write(dir.resolve("test_batch.bin"), record10(7, 9));
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
        Files.writeString(dir.resolve("readme.html"), "ignored");

        CifarData d = CifarReader.read(dir);

        assertEquals(CifarFormat.CIFAR10, d.format());
        assertEquals(4, d.train().size());
        assertArrayEquals(new int[] {3, 9, 0, 5}, d.train().labels());
        // pixels in file order: 1, 2 (batch 1), 3 (batch 2), 4 (batch 10, after 2)
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, d.train().image(i)[0]);
            assertEquals(i + 1, d.train().image(i)[3071]);
        }
        assertEquals(1, d.test().size());
        assertEquals(7, d.test().label(0));
        assertEquals(
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), d.train().classes());
        assertEquals(3, d.train().channels());
        assertEquals(32, d.train().height());
    }

    @Test
    void writeThenReadRoundTripsPixelsExactly() throws IOException {
        ImageSet set = TestImages.cifar(7, 1);
        Path dir = Files.createDirectory(tmp.resolve("rt"));
        Files.write(dir.resolve("data_batch_1.bin"), cifar10Bytes(set));
        CifarData d = CifarReader.read(dir.resolve("data_batch_1.bin"));
        assertNull(d.test());
        for (int i = 0; i < set.size(); i++) {
            assertArrayEquals(set.image(i), d.train().image(i));
            assertEquals(set.label(i), d.train().label(i));
        }
        assertEquals(
                CifarFormat.CIFAR10.defaultClassNames(CifarFormat.Labels.FINE),
                d.train().classes());
    }

    @Test
    void readsCifar100FineAndCoarseLabels() throws IOException {
        ImageSet fine = TestImages.random(5, 3, 32, 32, 100, 2);
        int[] fineLabels = {0, 42, 99, 7, 63};
        ImageSet withLabels =
                new ImageSet(
                        3,
                        32,
                        32,
                        new byte[][] {
                            fine.image(0),
                            fine.image(1),
                            fine.image(2),
                            fine.image(3),
                            fine.image(4)
                        },
                        fineLabels,
                        TestImages.classNames(100),
                        "t");
        int[] coarse = {19, 0, 5, 3, 12};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarReader.writeCifar100(out, withLabels, coarse);
        Path dir = Files.createDirectory(tmp.resolve("c100"));
        Files.write(dir.resolve("train.bin"), out.toByteArray());
        Files.write(dir.resolve("test.bin"), Arrays.copyOf(out.toByteArray(), 3074));
        StringBuilder coarseNames = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            coarseNames.append("super").append(i).append('\n');
        }
        Files.writeString(dir.resolve("coarse_label_names.txt"), coarseNames);

        CifarData f = CifarReader.read(dir, CifarFormat.Labels.FINE);
        assertEquals(CifarFormat.CIFAR100, f.format());
        assertArrayEquals(fineLabels, f.train().labels());
        assertEquals(100, f.train().numClasses());
        assertEquals("fine_00", f.train().classes().get(0));
        assertArrayEquals(fine.image(2), f.train().image(2));
        assertEquals(1, f.test().size());

        CifarData c = CifarReader.read(dir, CifarFormat.Labels.COARSE);
        assertArrayEquals(coarse, c.train().labels());
        assertEquals(20, c.train().numClasses());
        assertEquals("super19", c.train().classes().get(19));
    }

    private static void tarGz(Path archive, Map<String, byte[]> entries) throws IOException {
        try (OutputStream fo = Files.newOutputStream(archive);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(fo);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    @Test
    void readsTheOfficialTarGzLayoutWithoutUnpacking() throws IOException {
        ImageSet a = TestImages.cifar(4, 3);
        ImageSet b = TestImages.cifar(3, 4);
        ImageSet t = TestImages.cifar(2, 5);
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        tarGz(
                archive,
                new java.util.LinkedHashMap<>(
                        Map.of(
                                "cifar-10-batches-bin/data_batch_2.bin", cifar10Bytes(b),
                                "cifar-10-batches-bin/data_batch_1.bin", cifar10Bytes(a),
                                "cifar-10-batches-bin/test_batch.bin", cifar10Bytes(t),
                                "cifar-10-batches-bin/readme.html", "x".getBytes())));

        CifarData d = CifarReader.read(archive);

        assertEquals(7, d.train().size());
        assertArrayEquals(a.image(0), d.train().image(0));
        assertArrayEquals(b.image(2), d.train().image(6));
        assertArrayEquals(t.image(1), d.test().image(1));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing unpacked to disk");
        }
        // a directory holding the archive under its official name reads the same
        Path holder = Files.createDirectory(tmp.resolve("holder"));
        Files.copy(archive, holder.resolve("cifar-10-binary.tar.gz"));
        assertEquals(7, CifarReader.read(holder).train().size());
    }

    @Test
    void readsTheCifar100ArchiveLayout() throws IOException {
        ImageSet fine = TestImages.random(3, 3, 32, 32, 100, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CifarReader.writeCifar100(out, fine, new int[] {4, 5, 6});
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            names.append("name").append(i).append('\n');
        }
        Path archive = tmp.resolve("cifar-100-binary.tar.gz");
        tarGz(
                archive,
                new java.util.LinkedHashMap<>(
                        Map.of(
                                "cifar-100-binary/train.bin", out.toByteArray(),
                                "cifar-100-binary/test.bin", out.toByteArray(),
                                "cifar-100-binary/fine_label_names.txt",
                                        names.toString().getBytes(StandardCharsets.UTF_8))));
        CifarData d = CifarReader.read(archive, CifarFormat.Labels.FINE);
        assertEquals(CifarFormat.CIFAR100, d.format());
        assertArrayEquals(fine.labels(), d.train().labels());
        assertEquals("name99", d.train().classes().get(99));
        assertArrayEquals(fine.image(2), d.test().image(2));
        assertArrayEquals(
                new int[] {4, 5, 6},
                CifarReader.read(archive, CifarFormat.Labels.COARSE).train().labels());
    }

    @Test
    void readsTheUnpackedOfficialFolderFromItsParent() throws IOException {
        Path sub = Files.createDirectories(tmp.resolve("data/cifar-10-batches-bin"));
        Files.write(sub.resolve("data_batch_1.bin"), cifar10Bytes(TestImages.cifar(2, 6)));
        assertEquals(2, CifarReader.read(tmp.resolve("data")).train().size());
        assertTrue(CifarReader.looksLikeCifar(tmp.resolve("data")));
    }

    @Test
    void missingDirectoryIsAClearError() {
        Path missing = tmp.resolve("no-such-dir");
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(missing));
        assertEquals("CIFAR data not found: " + missing + " does not exist", e.getMessage());
    }

    @Test
    void directoryWithoutBatchesIsAClearError() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(dir.resolve("notes.txt"), "hi");
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(dir));
        assertTrue(e.getMessage().startsWith("no CIFAR batch files in " + dir), e.getMessage());
    }

    @Test
    void truncatedBatchNamesTheFileAndItsSize() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("trunc"));
        byte[] two = concat(record10(1, 1), record10(2, 2));
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, Arrays.copyOf(two, two.length - 1));
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(dir));
        assertEquals(
                f
                        + ": size 6145 bytes is not a whole number of CIFAR-10 records of 3073"
                        + " bytes (1 records and 3072 bytes left over): the file is truncated or"
                        + " not a CIFAR-10 batch",
                e.getMessage());
    }

    @Test
    void emptyBatchIsAClearError() throws IOException {
        Path f = Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(f));
        assertEquals(f + ": empty file, expected CIFAR-10 records", e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileRecordAndValue() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("labels"));
        Path f = dir.resolve("data_batch_1.bin");
        Files.write(f, concat(record10(1, 1), record10(1, 1), record10(12, 1)));
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(dir));
        assertEquals(
                f + ": record 2 (byte offset 6146) has label 12; CIFAR-10 labels are 0..9",
                e.getMessage());
    }

    @Test
    void cifar100FineLabelOutOfRange() throws IOException {
        byte[] r = new byte[3074];
        r[0] = 3;
        r[1] = (byte) 100;
        Path f = Files.write(tmp.resolve("train.bin"), r);
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(f));
        assertEquals(
                f
                        + ": record 0 (byte offset 1) has fine label 100; CIFAR-100 fine labels are"
                        + " 0..99",
                e.getMessage());
    }

    @Test
    void wrongNumberOfClassNames() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("names"));
        Files.write(dir.resolve("data_batch_1.bin"), record10(0, 0));
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\n");
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(dir));
        assertEquals(
                dir + "/batches.meta.txt: lists 2 class names, CIFAR-10 has 10", e.getMessage());
    }

    @Test
    void corruptArchiveIsAClearError() throws IOException {
        Path notGz = Files.write(tmp.resolve("a.tar.gz"), "this is not gzip".getBytes());
        DataException e1 = assertThrows(DataException.class, () -> CifarReader.read(notGz));
        assertTrue(
                e1.getMessage().startsWith(notGz + ": not a gzip-compressed tar archive"),
                e1.getMessage());

        Path good = tmp.resolve("good.tar.gz");
        tarGz(
                good,
                Map.of(
                        "cifar-10-batches-bin/data_batch_1.bin",
                        cifar10Bytes(TestImages.cifar(20, 7))));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        DataException e2 = assertThrows(DataException.class, () -> CifarReader.read(cut));
        assertTrue(
                e2.getMessage().startsWith(cut + ": corrupt or truncated .tar.gz archive"),
                e2.getMessage());

        byte[] flipped = bytes.clone();
        for (int i = 40; i < 60; i++) {
            flipped[i] ^= (byte) 0x5A;
        }
        Path bad = Files.write(tmp.resolve("bad.tar.gz"), flipped);
        DataException e3 = assertThrows(DataException.class, () -> CifarReader.read(bad));
        assertTrue(e3.getMessage().startsWith(bad + ": "), e3.getMessage());
    }

    @Test
    void archiveWithoutBatches() throws IOException {
        Path archive = tmp.resolve("x.tar.gz");
        tarGz(archive, Map.of("readme.txt", "hello".getBytes(StandardCharsets.UTF_8)));
        DataException e = assertThrows(DataException.class, () -> CifarReader.read(archive));
        assertTrue(e.getMessage().startsWith("no CIFAR batch files in " + archive));
    }

    @Test
    void sharedTrainingSetSplitsIntoTheDocumentedParts() {
        Path shared = SharedData.cifar10OrSkip();
        CifarData d = CifarReader.read(shared);
        assertEquals(50_000, d.train().size());
        assertNull(d.test());
        DataSplit.Split s = DataSplit.tail(d.train(), 5000);
        assertEquals(45_000, s.train().size());
        assertEquals(5000, s.val().size());
        // the validation split is the last 5,000 records of data_batch_5.bin
        CifarData b5 = CifarReader.read(shared.resolve("data_batch_5.bin"));
        assertArrayEquals(b5.train().image(5000), s.val().image(0));
        assertArrayEquals(b5.train().image(9999), s.val().image(4999));
        assertEquals(
                List.of(
                        "airplane",
                        "automobile",
                        "bird",
                        "cat",
                        "deer",
                        "dog",
                        "frog",
                        "horse",
                        "ship",
                        "truck"),
                d.train().classes());
    }
}
