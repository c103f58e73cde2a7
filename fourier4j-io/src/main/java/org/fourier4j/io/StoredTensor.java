package org.fourier4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A tensor whose elements stay in the file until they are asked for: contiguous (safetensors, most
 * torch tensors) or a strided view of a storage (a transposed or sliced torch tensor, or tensors
 * that share one storage), gathered into row-major order when read.
 *
 * <p>The offsets were checked against the file by the reader that built it: {@code byteOffset} is
 * where element 0 lies, and the strided extent lies inside the storage.
 */
final class StoredTensor extends TensorData {
    /** Chunk size when copying a tensor from file to file. */
    private static final int COPY_CHUNK = 4 << 20;

    private final FileSource source;
    private final long byteOffset;

    /** Element strides, or null when the layout is row-major contiguous. */
    private final long[] strides;

    StoredTensor(
            String name,
            DType dtype,
            long[] shape,
            FileSource source,
            long byteOffset,
            long[] strides) {
        super(name, dtype, shape);
        this.source = source;
        this.byteOffset = byteOffset;
        this.strides = strides == null || isRowMajor(shape, strides) ? null : strides.clone();
    }

    /** True when {@code strides} visit the elements of {@code shape} in row-major order. */
    static boolean isRowMajor(long[] shape, long[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Whether the elements are stored in row-major order (read in one piece). */
    boolean isContiguous() {
        return strides == null;
    }

    @Override
    public TensorData renamed(String newName) {
        return new StoredTensor(newName, dtype(), shape(), source, byteOffset, strides);
    }

    @Override
    Path file() {
        return source.path();
    }

    @Override
    void readInto(ByteBuffer dst) throws WeightFileException {
        long bytes = byteSize();
        if (bytes == 0) {
            return;
        }
        String what = "tensor '" + name() + "'";
        if (strides == null) {
            int end = dst.position() + (int) bytes;
            int limit = dst.limit();
            dst.limit(end);
            source.read(byteOffset, dst, what);
            dst.limit(limit);
            return;
        }
        gather(dst, what);
    }

    /** Reads the storage span the view covers, then copies its elements in row-major order. */
    private void gather(ByteBuffer dst, String what) throws WeightFileException {
        long[] shape = shape();
        int size = dtype().byteSize();
        long maxIndex = 0;
        for (int i = 0; i < shape.length; i++) {
            maxIndex += (shape[i] - 1) * strides[i];
        }
        long span = (maxIndex + 1) * size;
        if (span > MAX_BUFFER) {
            throw new WeightFileException(
                    file(),
                    what
                            + " is a strided view over "
                            + span
                            + " bytes, more than one buffer"
                            + " holds");
        }
        ByteBuffer storage = ByteBuffer.allocate((int) span).order(ByteOrder.LITTLE_ENDIAN);
        source.read(byteOffset, storage, what);
        byte[] from = storage.array();
        // rows along the last axis: copied whole when that axis has stride 1
        int outer = shape.length - 1;
        long inner = shape[outer];
        long innerStride = strides[outer];
        long rows = numel() / inner;
        long[] index = new long[outer];
        for (long r = 0; r < rows; r++) {
            long base = 0;
            for (int i = 0; i < outer; i++) {
                base += index[i] * strides[i];
            }
            if (innerStride == 1) {
                dst.put(from, (int) (base * size), (int) (inner * size));
            } else {
                for (long j = 0; j < inner; j++) {
                    dst.put(from, (int) ((base + j * innerStride) * size), size);
                }
            }
            for (int i = outer - 1; i >= 0; i--) {
                if (++index[i] < shape[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
    }

    @Override
    void writeTo(WritableByteChannel out) throws IOException {
        if (strides != null) {
            super.writeTo(out);
            return;
        }
        long remaining = byteSize();
        long at = byteOffset;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(COPY_CHUNK, remaining));
        while (remaining > 0) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), remaining));
            source.read(at, chunk, "tensor '" + name() + "'");
            chunk.flip();
            at += chunk.remaining();
            remaining -= chunk.remaining();
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
    }
}
