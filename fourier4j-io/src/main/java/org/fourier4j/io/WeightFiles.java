package org.fourier4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Reads a weight file of either format, recognised from its first bytes, not its name. */
public final class WeightFiles {
    private WeightFiles() {}

    /**
     * The format of a file from its first bytes: a zip signature is a torch.save archive; an 8-byte
     * little-endian length within the file followed by '{' is safetensors.
     *
     * @throws WeightFileException when it is neither (naming torch's legacy format when it is that)
     */
    public static WeightFormat detect(Path path) throws IOException {
        try (FileSource source = FileSource.open(path)) {
            byte[] head = new byte[(int) Math.min(16, source.size())];
            source.read(0, ByteBuffer.wrap(head), "the file's first bytes");
            if (TorchArchive.looksLikeZip(head)) {
                return WeightFormat.TORCH_ZIP;
            }
            if (TorchArchive.looksLikeLegacyTorch(head)) {
                throw new WeightFileException(
                        path, "legacy (non-zip) torch.save format: re-save with torch >= 1.6");
            }
            if (head.length >= 9) {
                long n = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                if (n > 0 && n <= source.size() - 8 && head[8] == '{') {
                    return WeightFormat.SAFETENSORS;
                }
            }
            throw new WeightFileException(
                    path, "neither a safetensors file nor a torch.save zip archive");
        }
    }

    /**
     * Reads a safetensors or torch.save file (torch with {@link
     * TorchCheckpoint.Options#defaults()}).
     */
    public static StateDict read(Path path) throws IOException {
        return detect(path) == WeightFormat.TORCH_ZIP
                ? TorchCheckpoint.read(path)
                : Safetensors.read(path);
    }
}
