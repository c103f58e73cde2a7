package org.fourier4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * The zip of a torch.save archive: {@code archive/data.pkl}, {@code archive/byteorder}, one {@code
 * archive/data/<i>} per tensor, {@code archive/version}; entries stored uncompressed with their
 * data aligned to 64 bytes as torch's writer does (zip64 where an entry needs it), and a fixed
 * timestamp so the same tensors give the same bytes.
 */
final class TorchZipWriter {
    static final String ROOT = "archive";
    private static final int ALIGNMENT = 64;

    private TorchZipWriter() {}

    static void write(FileChannel channel, byte[] pickle, List<? extends TensorData> tensors)
            throws IOException {
        // not closed: closing the zip stream would close the channel, which the caller syncs
        ZipArchiveOutputStream zip = new ZipArchiveOutputStream(channel);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        small(zip, ROOT + "/data.pkl", pickle);
        small(zip, ROOT + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        WritableByteChannel out = Channels.newChannel(new Unclosable(zip));
        for (int i = 0; i < tensors.size(); i++) {
            TensorData t = tensors.get(i);
            ZipArchiveEntry entry = entry(ROOT + "/data/" + i, t.byteSize());
            zip.putArchiveEntry(entry);
            t.writeTo(out);
            zip.closeArchiveEntry();
        }
        small(zip, ROOT + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    private static void small(ZipArchiveOutputStream zip, String name, byte[] bytes)
            throws IOException {
        ZipArchiveEntry entry = entry(name, bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putArchiveEntry(entry);
        zip.write(bytes);
        zip.closeArchiveEntry();
    }

    private static ZipArchiveEntry entry(String name, long size) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(size);
        entry.setAlignment(ALIGNMENT);
        entry.setTime(
                LocalDateTime.of(1980, 1, 1, 0, 0)
                        .atZone(ZoneId.systemDefault())
                        .toInstant()
                        .toEpochMilli());
        return entry;
    }

    /** Lets the tensors write through a channel without closing the zip stream under it. */
    private static final class Unclosable extends OutputStream {
        private final OutputStream out;

        Unclosable(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {}
    }
}
