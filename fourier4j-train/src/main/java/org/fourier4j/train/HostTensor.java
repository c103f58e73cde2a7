package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tensor's bytes on the Java side, and the small file format checkpoints store tensors in: a
 * magic {@code F4JT}, a version, a count, then per tensor its name, data type, shape and raw
 * little-endian bytes. Reading never creates native arrays, so a checkpoint can be validated
 * against a model before anything is loaded.
 *
 * @param name the tensor's name
 * @param dataType the element type
 * @param shape the shape
 * @param data raw little-endian bytes
 */
public record HostTensor(String name, DataType dataType, Shape shape, byte[] data) {

    private static final int MAGIC = 0x46344A54; // "F4JT"
    private static final int VERSION = 1;

    /**
     * Copies an array to the host.
     *
     * @param name the name to store it under
     * @param array the array
     * @return its bytes
     */
    public static HostTensor of(String name, NDArray array) {
        requireLittleEndian();
        return new HostTensor(name, array.getDataType(), array.getShape(), array.toByteArray());
    }

    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException(
                    "checkpoints are written on little-endian machines only");
        }
    }

    /**
     * Copies the bytes into an existing array of the same shape and type (in place: the array keeps
     * its identity, gradient flag and manager).
     *
     * @param target the array to overwrite
     */
    public void copyInto(NDArray target) {
        requireLittleEndian();
        if (!target.getShape().equals(shape) || target.getDataType() != dataType) {
            throw new IllegalArgumentException(
                    name
                            + ": cannot copy "
                            + dataType
                            + shape
                            + " into "
                            + target.getDataType()
                            + target.getShape());
        }
        try (NDManager scope = target.getManager().newSubManager()) {
            Tensors.copy(toArray(scope), target);
        }
    }

    /**
     * Creates a new array with these contents.
     *
     * @param manager the owner
     * @return the array
     */
    public NDArray toArray(NDManager manager) {
        requireLittleEndian();
        ByteBuffer bb = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        bb.put(data).rewind();
        NDArray a = manager.create(bb, shape, dataType);
        a.setName(name);
        return a;
    }

    /**
     * Writes tensors.
     *
     * @param out the destination
     * @param tensors in order
     * @throws IOException on a write error
     */
    public static void write(DataOutputStream out, Iterable<HostTensor> tensors)
            throws IOException {
        int n = 0;
        for (HostTensor ignored : tensors) {
            n++;
        }
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(n);
        for (HostTensor t : tensors) {
            out.writeUTF(t.name);
            out.writeUTF(t.dataType.name());
            out.writeInt(t.shape.dimension());
            for (long d : t.shape.getShape()) {
                out.writeLong(d);
            }
            out.writeLong(t.data.length);
            out.write(t.data);
        }
    }

    /**
     * Reads tensors written by {@link #write}.
     *
     * @param in the source
     * @param what a name for messages
     * @return name to tensor, in file order
     * @throws IOException on a read error or a malformed stream
     */
    public static Map<String, HostTensor> read(DataInputStream in, String what) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(what + " is not a tensor file (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(
                    what + " has tensor format version " + version + ", expected " + VERSION);
        }
        int n = in.readInt();
        if (n < 0) {
            throw new IOException(what + ": negative tensor count " + n);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            DataType type = dataType(in.readUTF(), name, what);
            int rank = in.readInt();
            if (rank < 0 || rank > 32) {
                throw new IOException(what + ": bad rank " + rank + " of tensor " + name);
            }
            long[] dims = new long[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = in.readLong();
                if (dims[d] < 0) {
                    throw new IOException(
                            what + ": tensor " + name + " has a negative dimension " + dims[d]);
                }
                elements = multiplyOrMax(elements, dims[d]);
            }
            Shape shape = new Shape(dims);
            long bytes = in.readLong();
            long expected = multiplyOrMax(elements, type.getNumOfBytes());
            if (bytes != expected || bytes > MAX_ARRAY_BYTES) {
                throw new IOException(
                        what
                                + ": tensor "
                                + name
                                + " has "
                                + bytes
                                + " bytes for "
                                + type
                                + shape
                                + (bytes == expected ? " (more than a Java array holds)" : ""));
            }
            // readNBytes grows its buffer as bytes arrive: a size field larger than the stream
            // ends in the check below, not in an allocation of the claimed size
            byte[] data = in.readNBytes((int) bytes);
            if (data.length != bytes) {
                throw new IOException(
                        what
                                + " is truncated: tensor "
                                + name
                                + " claims "
                                + bytes
                                + " bytes, "
                                + data.length
                                + " remain");
            }
            if (out.put(name, new HostTensor(name, type, shape, data)) != null) {
                throw new IOException(what + " holds tensor " + name + " twice");
            }
        }
        return out;
    }

    /** The largest byte array a JVM allocates. */
    private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static DataType dataType(String text, String name, String what) throws IOException {
        DataType type;
        try {
            type = DataType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + ": unknown data type of tensor " + name, e);
        }
        if (type.getNumOfBytes() <= 0) { // STRING, UNKNOWN
            throw new IOException(what + ": tensor " + name + " has data type " + type);
        }
        return type;
    }
}
