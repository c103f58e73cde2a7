package org.fourier4j.io;

import static org.fourier4j.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made torch.save files that lie, are corrupt or try to run code: each refused by name. */
class HostileCheckpointsTest {
    @TempDir Path dir;

    /** A zip with stored entries (name, bytes), as torch.save lays it out. */
    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path p = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return p;
    }

    /** A checkpoint holding {@code pickle} and one 16-byte storage {@code data/0}. */
    private Path checkpoint(String name, byte[] pickle) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        entries.put("archive/data/0", new byte[16]);
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return zip(name, entries);
    }

    /** Pickle opcodes written by hand. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... codes) {
            for (int c : codes) {
                out.write(c);
            }
            return this;
        }

        Pickle text(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').op(
                            b.length & 0xff,
                            (b.length >> 8) & 0xff,
                            (b.length >> 16) & 0xff,
                            b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle integer(long v) {
            byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
            op(0x8a, 8);
            out.writeBytes(le);
            return this;
        }

        Pickle tuple(long... values) {
            op('(');
            for (long v : values) {
                integer(v);
            }
            return op('t');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * {@code {'w': _rebuild_tensor_v2(storage('0', cls, numel), offset, size, stride, False,
     * OrderedDict())}}.
     */
    private static byte[] tensorPickle(
            String storageClass, long numel, long offset, long[] size, long[] stride) {
        Pickle p = new Pickle().op(0x80, 2).op('}').op('(').str("w");
        p.text("ctorch._utils\n_rebuild_tensor_v2\n").op('(');
        p.op('(').str("storage").text("ctorch\n" + storageClass + "\n").str("0").str("cpu");
        p.integer(numel).op('t').op('Q');
        p.integer(offset).tuple(size).tuple(stride).op(0x89);
        p.text("ccollections\nOrderedDict\n").op(')').op('R');
        p.op('t').op('R').op('u').op('.');
        return p.bytes();
    }

    private String refusal(byte[] pickle) throws IOException {
        Path p = checkpoint("hostile.pth", pickle);
        WeightFileException e =
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(p).close());
        assertTrue(e.getMessage().startsWith("hostile.pth: "), e.getMessage());
        return e.getMessage().substring("hostile.pth: ".length());
    }

    @Test
    void aValidHandMadeTensorIsRead() throws IOException {
        Path p =
                checkpoint(
                        "ok.pth",
                        tensorPickle("FloatStorage", 4, 1, new long[] {3}, new long[] {1}));
        try (StateDict sd = TorchCheckpoint.read(p)) {
            assertEquals(3, sd.get("w").toFloats().length);
        }
    }

    @Test
    void storagesAndViewsThatLieAreRefusedBeforeAnyRead() throws IOException {
        assertEquals(
                "storage '0' claims 1000000000000 elements of F32 but its entry has 16 bytes",
                refusal(
                        tensorPickle(
                                "FloatStorage",
                                1_000_000_000_000L,
                                0,
                                new long[] {1},
                                new long[] {1})));
        assertEquals(
                "a tensor of storage '0' reaches element 4 but the storage holds 4",
                refusal(tensorPickle("FloatStorage", 4, 1, new long[] {4}, new long[] {1})));
        assertEquals(
                "a tensor of storage '0' has 1000000 elements but its storage holds 4 (broadcast"
                        + " views are not supported)",
                refusal(
                        tensorPickle(
                                "FloatStorage", 4, 0, new long[] {1000, 1000}, new long[] {0, 0})));
        assertEquals(
                "a tensor of storage '0' has size [2] and stride [-1] with a negative number",
                refusal(tensorPickle("FloatStorage", 4, 3, new long[] {2}, new long[] {-1})));
        assertEquals(
                "a tensor of storage '0' has the negative offset -1",
                refusal(tensorPickle("FloatStorage", 4, -1, new long[] {1}, new long[] {1})));
        assertEquals(
                "a tensor of storage '0' has size [4611686018427387904, 4] and stride [1, 1] whose"
                        + " extent overflows",
                refusal(
                        tensorPickle(
                                "FloatStorage",
                                4,
                                0,
                                new long[] {1L << 62, 4},
                                new long[] {1, 1})));
        assertEquals(
                "a tensor of storage '0' has 2 sizes but 1 strides",
                refusal(tensorPickle("FloatStorage", 4, 0, new long[] {2, 2}, new long[] {1})));
        assertEquals(
                "pickle names the global 'torch.ComplexFloatStorage', which a state dict never"
                        + " needs (refused; nothing was called)",
                refusal(tensorPickle("ComplexFloatStorage", 2, 0, new long[] {2}, new long[] {1})));
        byte[] missing = tensorPickle("FloatStorage", 4, 0, new long[] {4}, new long[] {1});
        Map<String, byte[]> noStorage = new LinkedHashMap<>();
        noStorage.put("archive/data.pkl", missing);
        Path p = zip("nostorage.pth", noStorage);
        assertEquals(
                "nostorage.pth: storage '0' has no entry data/0 in the archive",
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(p))
                        .getMessage());
    }

    @Test
    void globalsOutsideTheAllowListAreNeverResolvedWhateverTheOpcode() throws IOException {
        // GLOBAL + REDUCE, INST, STACK_GLOBAL, and razorvine's own built-in constructors
        assertEquals(
                "pickle names the global 'builtins.eval', which a state dict never needs (refused;"
                        + " nothing was called)",
                refusal(
                        new Pickle()
                                .op(0x80, 2)
                                .text("cbuiltins\neval\n")
                                .str("1")
                                .op(0x85, 'R', '.')
                                .bytes()));
        assertEquals(
                "pickle names the global 'os.system', which a state dict never needs (refused;"
                        + " nothing was called)",
                refusal(new Pickle().op('(').text("S'ls'\nios\nsystem\n.").bytes()));
        assertEquals(
                "pickle names the global 'subprocess.Popen', which a state dict never needs"
                        + " (refused; nothing was called)",
                refusal(
                        new Pickle()
                                .op(0x80, 4)
                                .str("subprocess")
                                .str("Popen")
                                .op(0x93, '.')
                                .bytes()));
        for (String global :
                new String[] {
                    "copy_reg\n_reconstructor", "__builtin__\nset2", "datetime\ndatetime",
                    "decimal\nDecimal", "builtins\ngetattr", "numpy.core.multiarray\n_reconstruct",
                    "torch\nload", "torch._utils\n_rebuild_qtensor"
                }) {
            String message = refusal(new Pickle().op(0x80, 2).text("c" + global + "\n)R.").bytes());
            assertTrue(
                    message.startsWith(
                            "pickle names the global '" + global.replace('\n', '.') + "'"),
                    message);
        }
    }

    @Test
    void allowedGlobalsCannotBeMisused() throws IOException {
        assertEquals(
                "pickle calls torch.FloatStorage, which a state dict never does",
                refusal(new Pickle().op(0x80, 2).text("ctorch\nFloatStorage\n)R.").bytes()));
        assertEquals(
                "torch._utils._rebuild_tensor_v2 is called with 0 arguments, expected 6 or 7",
                refusal(
                        new Pickle()
                                .op(0x80, 2)
                                .text("ctorch._utils\n_rebuild_tensor_v2\n)R.")
                                .bytes()));
        assertEquals(
                "a tensor is rebuilt from a str instead of a storage",
                refusal(
                        new Pickle()
                                .op(0x80, 2)
                                .text("ctorch._utils\n_rebuild_tensor\n(")
                                .str("x")
                                .integer(0)
                                .tuple(1)
                                .tuple(1)
                                .text("tR.")
                                .bytes()));
        assertEquals(
                "a persistent id is a str, not a storage tuple",
                refusal(new Pickle().op(0x80, 2).str("x").op('Q', '.').bytes()));
        assertEquals(
                "the pickle calls a str",
                refusal(new Pickle().op(0x80, 2).str("x").op(')', 'R', '.').bytes()));
        assertEquals(
                "the pickle uses out-of-band buffers (protocol 5)",
                refusal(new Pickle().op(0x80, 5, 0x97, '.').bytes()));
    }

    @Test
    void corruptPicklesAreRefusedWithoutHugeAllocations() throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        String message =
                refusal(
                        new Pickle()
                                .op(0x80, 2)
                                .op('X', 0xff, 0xff, 0xff, 0x7f)
                                .text("abc")
                                .bytes());
        assertTrue(message.contains("claims 2147483647 bytes but 3 are left"), message);
        message = refusal(new Pickle().op(0x80, 4).op(0x8e).op(0, 0, 0, 0, 0, 0, 0, 1).bytes());
        assertTrue(message.contains("claims 72057594037927936 bytes"), message);
        message = refusal(new Pickle().op(0x80, 2).text("L" + "9".repeat(5000) + "L\n.").bytes());
        assertEquals("the pickle has an int of more than 4300 digits", message);
        assertTrue(threads.getCurrentThreadAllocatedBytes() - before < (8 << 20));
        // a list as a dict key (Python cannot hash it; Java would hash it recursively)
        message =
                refusal(
                        new Pickle()
                                .op(0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'K', 1, 's', '.')
                                .bytes());
        assertTrue(message.contains("a dict key or set item is a list"), message);
        message = refusal(new Pickle().op(0x80, 2, 'K', 1, 'R', '.').bytes());
        assertTrue(message.startsWith("data.pkl is not a valid pickle (at byte "), message);
        message = refusal(new Pickle().op(0x80, 2, 0x82, 1, '.').bytes());
        assertTrue(message.startsWith("data.pkl is not a valid pickle"), message);
        message = refusal(new Pickle().op(0x80, 2, ']', '.').bytes());
        assertEquals("the pickle holds a list, not a dict", message);
    }

    @Test
    void everyTruncationOfThePickleIsRefused() throws IOException {
        byte[] pickle = tensorPickle("FloatStorage", 4, 0, new long[] {2, 2}, new long[] {2, 1});
        for (int cut = 0; cut < pickle.length; cut++) {
            refusal(Arrays.copyOf(pickle, cut));
        }
    }

    @Test
    void everyTruncationOfTheFileIsRefused() throws IOException {
        for (String name : new String[] {"hand-made-valid.pth", "dtypes.pth"}) {
            byte[] whole = Files.readAllBytes(weights(name));
            Path cut = dir.resolve("cut.pth");
            for (int length = 0;
                    length < whole.length;
                    length += name.startsWith("hand") ? 3 : 37) {
                Files.write(cut, Arrays.copyOf(whole, length));
                try {
                    TorchCheckpoint.read(cut).close();
                    fail(name + " cut at " + length + " bytes was accepted");
                } catch (WeightFileException expected) {
                    assertTrue(expected.getMessage().startsWith("cut.pth: "));
                }
            }
        }
    }

    @Test
    void corruptZipEntriesAreRefused() throws IOException {
        byte[] whole = Files.readAllBytes(weights("hand-made-valid.pth"));
        // a flipped byte inside data.pkl (which starts after the first local header)
        byte[] flipped = whole.clone();
        int pickleStart = 30 + "whatever/data.pkl".length();
        flipped[pickleStart + 10] ^= 0x20;
        Path p = dir.resolve("flipped.pth");
        Files.write(p, flipped);
        assertEquals(
                "flipped.pth: data.pkl fails its CRC-32 check: the file is corrupt",
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(p))
                        .getMessage());
        // the central directory claims a huge size for the storage entry
        byte[] lying = whole.clone();
        int central = indexOf(lying, new byte[] {'P', 'K', 1, 2}, "whatever/data/0");
        ByteBuffer b = ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(central + 20, 0x7fffffff).putInt(central + 24, 0x7fffffff);
        Path q = dir.resolve("huge-entry.pth");
        Files.write(q, lying);
        WeightFileException e =
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(q));
        assertTrue(e.getMessage().startsWith("huge-entry.pth: "), e.getMessage());
        // not a zip at all, and an empty file
        Path junk = dir.resolve("junk.pth");
        Files.write(junk, "PK\u0003\u0004 but nothing else".getBytes(StandardCharsets.US_ASCII));
        assertTrue(
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(junk))
                        .getMessage()
                        .startsWith("junk.pth: not a readable zip archive"));
        Path empty = dir.resolve("empty.pth");
        Files.write(empty, new byte[0]);
        assertEquals(
                "empty.pth: not a zip archive, which torch.save writes since torch 1.6",
                assertThrows(WeightFileException.class, () -> TorchCheckpoint.read(empty))
                        .getMessage());
    }

    /** The central directory record (signature PK\1\2) of the named entry. */
    private static int indexOf(byte[] data, byte[] signature, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 + n.length <= data.length; i++) {
            if (data[i] == signature[0]
                    && data[i + 1] == signature[1]
                    && data[i + 2] == signature[2]
                    && data[i + 3] == signature[3]
                    && Arrays.equals(Arrays.copyOfRange(data, i + 46, i + 46 + n.length), n)) {
                return i;
            }
        }
        throw new AssertionError("no central directory record for " + name);
    }
}
