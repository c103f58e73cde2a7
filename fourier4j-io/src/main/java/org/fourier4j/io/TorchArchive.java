package org.fourier4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The entries of a torch.save zip that the reader needs, located by their data offsets in the file:
 * {@code ARCHIVE/data.pkl}, {@code ARCHIVE/data/<key>}, {@code ARCHIVE/version}, {@code
 * ARCHIVE/byteorder}, whatever the folder name ARCHIVE is. torch.save stores every entry
 * uncompressed (aligned to 64 bytes), which is what lets a tensor be read in place; a compressed
 * entry is refused.
 */
final class TorchArchive {
    /** torch.save's legacy (pre-1.6) format starts with pickle protocol 2 and its magic number. */
    private static final byte[] LEGACY_MAGIC = {
        (byte) 0x80,
        0x02,
        (byte) 0x8a,
        0x0a,
        0x6c,
        (byte) 0xfc,
        (byte) 0x9c,
        0x46,
        (byte) 0xf9,
        0x20,
        0x6a,
        (byte) 0xa8,
        0x50,
        0x19
    };

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_HEADER = 30;

    /** An entry's data: where it starts in the file, how long it is, and its CRC-32. */
    record Region(long offset, long length, long crc) {}

    final String root;
    final Region pickle;
    final Map<String, Region> storages;
    final String version;

    private TorchArchive(String root, Region pickle, Map<String, Region> storages, String version) {
        this.root = root;
        this.pickle = pickle;
        this.storages = storages;
        this.version = version;
    }

    /** Whether the bytes start like a zip archive. */
    static boolean looksLikeZip(byte[] head) {
        return startsWith(head, ZIP_MAGIC);
    }

    /** Whether the bytes start like torch.save's legacy format. */
    static boolean looksLikeLegacyTorch(byte[] head) {
        return startsWith(head, LEGACY_MAGIC);
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    static TorchArchive open(Path path, FileSource source) throws IOException {
        byte[] head = new byte[(int) Math.min(LEGACY_MAGIC.length, source.size())];
        source.read(0, ByteBuffer.wrap(head), "the file's first bytes");
        if (looksLikeLegacyTorch(head)) {
            throw new WeightFileException(
                    path, "legacy (non-zip) torch.save format: re-save with torch >= 1.6");
        }
        if (!looksLikeZip(head)) {
            throw new WeightFileException(
                    path, "not a zip archive, which torch.save writes since torch 1.6");
        }
        Map<String, ZipArchiveEntry> entries = new HashMap<>();
        // the central directory only: the local headers are read below, for the entries needed
        try (ZipFile zip = ZipFile.builder().setPath(path).setIgnoreLocalFileHeader(true).get()) {
            for (Enumeration<ZipArchiveEntry> e = zip.getEntries(); e.hasMoreElements(); ) {
                ZipArchiveEntry entry = e.nextElement();
                if (entries.put(entry.getName(), entry) != null) {
                    throw new WeightFileException(
                            path,
                            "the zip holds two entries named " + Describe.name(entry.getName()));
                }
            }
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WeightFileException(path, "not a readable zip archive: " + rootCause(e), e);
        }
        String root = root(path, entries);
        if (entries.containsKey(root + "/constants.pkl")) {
            throw new WeightFileException(
                    path,
                    "a TorchScript archive (torch.jit.save), not a torch.save state dict: load it"
                            + " with DJL's PtModel, or save model.state_dict() with torch.save");
        }
        Region pickle = region(path, source, entries.get(root + "/data.pkl"));
        Map<String, Region> storages = new HashMap<>();
        String prefix = root + "/data/";
        for (Map.Entry<String, ZipArchiveEntry> e : entries.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getValue().isDirectory()) {
                storages.put(
                        e.getKey().substring(prefix.length()), region(path, source, e.getValue()));
            }
        }
        String byteOrder = smallText(path, source, entries.get(root + "/byteorder"));
        if (byteOrder != null && !byteOrder.equals("little")) {
            throw new WeightFileException(
                    path,
                    "the archive's byteorder is "
                            + Describe.name(byteOrder)
                            + "; only little-endian checkpoints are supported");
        }
        String version = smallText(path, source, entries.get(root + "/version"));
        return new TorchArchive(root, pickle, Collections.unmodifiableMap(storages), version);
    }

    /** The folder that holds data.pkl: the only top-level folder with one. */
    private static String root(Path path, Map<String, ZipArchiveEntry> entries)
            throws WeightFileException {
        String root = null;
        for (String name : entries.keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (root != null) {
                    throw new WeightFileException(
                            path,
                            "the zip holds two archives ("
                                    + Describe.name(root)
                                    + " and "
                                    + Describe.name(name.substring(0, slash))
                                    + ")");
                }
                root = name.substring(0, slash);
            }
        }
        if (root == null) {
            throw new WeightFileException(
                    path, "the zip has no ARCHIVE/data.pkl entry: not a torch.save file");
        }
        return root;
    }

    /**
     * Where an entry's data lies: after its local header (30 bytes, the name and the extra field,
     * whose lengths the local header gives), checked to lie inside the file.
     */
    private static Region region(Path path, FileSource source, ZipArchiveEntry entry)
            throws WeightFileException {
        String name = Describe.name(entry.getName());
        if (entry.getMethod() != ZipArchiveEntry.STORED) {
            throw new WeightFileException(
                    path,
                    "entry "
                            + name
                            + " is compressed (zip method "
                            + entry.getMethod()
                            + "); torch.save stores entries uncompressed");
        }
        long fileSize = source.size();
        long header = entry.getLocalHeaderOffset();
        if (header < 0 || header > fileSize - LOCAL_HEADER) {
            throw new WeightFileException(
                    path,
                    "entry "
                            + name
                            + " has its local header at byte "
                            + header
                            + ", outside the file ("
                            + fileSize
                            + " bytes)");
        }
        ByteBuffer local = ByteBuffer.allocate(LOCAL_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        source.read(header, local, "the local header of entry " + name);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw new WeightFileException(
                    path, "entry " + name + " has no local header at byte " + header);
        }
        long offset =
                header
                        + LOCAL_HEADER
                        + (local.getShort(26) & 0xffff)
                        + (local.getShort(28) & 0xffff);
        long length = entry.getCompressedSize();
        if (length < 0
                || entry.getSize() != length
                || length > fileSize
                || offset > fileSize - length) {
            throw new WeightFileException(
                    path,
                    "entry "
                            + name
                            + " claims bytes "
                            + offset
                            + ".."
                            + (offset + length)
                            + " (size "
                            + entry.getSize()
                            + ") but the file has "
                            + fileSize
                            + " bytes");
        }
        return new Region(offset, length, entry.getCrc());
    }

    /** The content of a small text entry (version, byteorder), or null when it is absent. */
    private static String smallText(Path path, FileSource source, ZipArchiveEntry entry)
            throws WeightFileException {
        if (entry == null) {
            return null;
        }
        Region r = region(path, source, entry);
        if (r.length() > 64) {
            throw new WeightFileException(
                    path,
                    "entry "
                            + Describe.name(entry.getName())
                            + " has "
                            + r.length()
                            + " bytes, expected a short text");
        }
        ByteBuffer b = ByteBuffer.allocate((int) r.length());
        source.read(r.offset(), b, "entry " + Describe.name(entry.getName()));
        return new String(b.array(), StandardCharsets.UTF_8).trim();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
