package org.fourier4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable view of one named tensor: its element type, its shape, and its elements in row-major
 * order as little-endian bytes.
 *
 * <p>A tensor read from a file is not loaded when the file is opened: its bytes are read when one
 * of the reading methods is called (and each call reads them again), so a whole checkpoint is never
 * held twice. Those methods throw {@link WeightFileException} when the file cannot be read any more
 * (closed, or changed since it was opened). Tensors built in memory ({@link #of(String, float[],
 * long...)}, {@link #of(String, NDArray)}) hold their own copy of the bytes.
 *
 * <p>One buffer or Java array holds at most 2^31-1 bytes or elements: a bigger tensor keeps its
 * name, type and shape, and can be copied from file to file by the writers, but the reading methods
 * refuse it with a {@link WeightFileException}.
 */
public abstract class TensorData {
    /** The largest buffer or array the JVM gives out. */
    static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

    /** The data types DJL's PyTorch engine (0.35.1) creates; it aborts the JVM on the others. */
    private static final Set<DataType> PYTORCH_TYPES =
            Collections.unmodifiableSet(
                    EnumSet.of(
                            DataType.FLOAT64,
                            DataType.FLOAT32,
                            DataType.FLOAT16,
                            DataType.INT64,
                            DataType.INT32,
                            DataType.INT8,
                            DataType.UINT8,
                            DataType.BOOLEAN));

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long numel;

    TensorData(String name, DType dtype, long[] shape) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.numel = elementCount(this.shape, dtype);
    }

    /** The element count of a shape, refusing negative dimensions and overflow of the bytes. */
    static long elementCount(long[] shape, DType dtype) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "the element count of shape " + Arrays.toString(shape) + " overflows");
            }
        }
        if (n > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException(
                    "the byte size of shape " + Arrays.toString(shape) + " overflows");
        }
        return n;
    }

    /** The tensor's name (the state-dict key). */
    public String name() {
        return name;
    }

    /** The stored element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape (a copy; empty for a scalar). */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements (1 for a scalar, 0 when a dimension is 0). */
    public long numel() {
        return numel;
    }

    /** The number of bytes of the elements: {@code numel() * dtype().byteSize()}. */
    public long byteSize() {
        return numel * dtype.byteSize();
    }

    /** The same data under another name (no copy). */
    public abstract TensorData renamed(String newName);

    /** The file the data lives in, or null for a tensor held in memory. */
    abstract Path file();

    /**
     * Puts the {@link #byteSize()} row-major little-endian bytes into {@code dst} from its position
     * on (the caller made the room).
     */
    abstract void readInto(ByteBuffer dst) throws WeightFileException;

    /**
     * The elements in row-major order as little-endian bytes, read-only, positioned at 0 (a new
     * buffer on the heap at each call).
     */
    public ByteBuffer contiguousBytes() throws WeightFileException {
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize()).order(ByteOrder.LITTLE_ENDIAN);
        readInto(buffer);
        buffer.flip();
        return buffer.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The elements in row-major order as little-endian bytes in a new direct buffer, positioned at
     * 0: what an engine array can take over without another copy ({@code NDArray.set} keeps a
     * direct buffer as the array's storage).
     *
     * @return the buffer, little-endian
     * @throws WeightFileException if the tensor cannot be read or is larger than one buffer
     */
    public ByteBuffer toDirectBuffer() throws WeightFileException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize()).order(ByteOrder.LITTLE_ENDIAN);
        readInto(buffer);
        buffer.flip();
        return buffer;
    }

    /**
     * The elements as floats: exact for F32, F16 and BF16 (every binary16 and bfloat16 value,
     * subnormals, infinities and NaNs included, is a float; a binary16 signalling NaN becomes
     * quiet, as in PyTorch); F64 and the integer types are rounded to the nearest float; BOOL gives
     * 0 and 1; U8 is unsigned.
     */
    public float[] toFloats() throws WeightFileException {
        float[] out = new float[arrayLength()];
        Elements.toFloats(contiguousBytes(), dtype, out);
        return out;
    }

    /**
     * The elements as doubles: exact for every floating-point type and for integers up to 2^53 in
     * magnitude (I64 beyond that is rounded to the nearest double).
     */
    public double[] toDoubles() throws WeightFileException {
        double[] out = new double[arrayLength()];
        Elements.toDoubles(contiguousBytes(), dtype, out);
        return out;
    }

    /**
     * Creates the tensor as an array of {@code manager} in the {@code target} type.
     *
     * <p>The bytes are read straight into a direct buffer that becomes the engine array in the
     * stored type ({@code manager.create(buffer, shape, type)}, no Java array in between); when
     * {@code target} differs, the engine converts it ({@link NDArray#toType}: F16 to F32 is exact)
     * and the stored-type array is closed at once. The array is named after the tensor.
     *
     * <p>DJL's PyTorch engine (0.35.1) aborts the whole JVM when it meets BFLOAT16, INT16 or the
     * unsigned types wider than 8 bits, so on that engine BF16 and I16 tensors are first widened
     * exactly in Java (to F32 and I32), and those targets are refused with an {@link
     * IllegalArgumentException}.
     */
    public NDArray toNDArray(NDManager manager, DataType target) throws WeightFileException {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(target, "target");
        boolean pytorch = "PyTorch".equals(manager.getEngine().getEngineName());
        if (pytorch && !PYTORCH_TYPES.contains(target)) {
            throw new IllegalArgumentException(
                    "DJL's PyTorch engine cannot hold "
                            + target
                            + " arrays (it aborts the JVM on"
                            + " them): ask for one of "
                            + PYTORCH_TYPES);
        }
        DType created = dtype;
        ByteBuffer buffer;
        if (pytorch && (dtype == DType.BF16 || dtype == DType.I16)) {
            created = dtype == DType.BF16 ? DType.F32 : DType.I32;
            buffer = widened(manager.allocateDirect(Math.multiplyExact(bufferSize(), 2)));
        } else {
            buffer = manager.allocateDirect(bufferSize()).order(ByteOrder.LITTLE_ENDIAN);
            readInto(buffer);
            buffer.flip();
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            Elements.swapBytes(buffer, created.byteSize());
            buffer.order(ByteOrder.nativeOrder());
        }
        NDArray stored = manager.create(buffer, new Shape(shape), created.djlType());
        NDArray result = stored;
        if (target != created.djlType()) {
            try {
                result = stored.toType(target, true);
            } finally {
                stored.close();
            }
        }
        result.setName(name);
        return result;
    }

    /** BF16 as F32 or I16 as I32 (both exact), little-endian, into {@code out}, flipped. */
    private ByteBuffer widened(ByteBuffer out) throws WeightFileException {
        ByteBuffer narrow = contiguousBytes();
        out.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < numel; i++) {
            short bits = narrow.getShort(2 * i);
            if (dtype == DType.BF16) {
                out.putInt((bits & 0xffff) << 16);
            } else {
                out.putInt(bits);
            }
        }
        out.flip();
        return out;
    }

    /**
     * Writes the bytes to {@code out} in bounded pieces (a tensor read from a file is copied chunk
     * by chunk, never whole).
     */
    void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer bytes = contiguousBytes();
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    int bufferSize() throws WeightFileException {
        long bytes = byteSize();
        if (bytes > MAX_BUFFER) {
            throw new WeightFileException(
                    file(),
                    "tensor '"
                            + name
                            + "' has "
                            + bytes
                            + " bytes, more than one buffer holds ("
                            + MAX_BUFFER
                            + ")");
        }
        return (int) bytes;
    }

    private int arrayLength() throws WeightFileException {
        if (numel > MAX_BUFFER) {
            throw new WeightFileException(
                    file(),
                    "tensor '"
                            + name
                            + "' has "
                            + numel
                            + " elements, more than one Java array"
                            + " holds ("
                            + MAX_BUFFER
                            + ")");
        }
        bufferSize();
        return (int) numel;
    }

    @Override
    public String toString() {
        return "TensorData[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }

    /** A float32 tensor holding a copy of {@code values} (row-major) with the given shape. */
    public static TensorData of(String name, float[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 4, shape, DType.F32);
        b.asFloatBuffer().put(values);
        return new MemoryTensor(name, DType.F32, shape, b.array());
    }

    /** A float64 tensor holding a copy of {@code values} (row-major) with the given shape. */
    public static TensorData of(String name, double[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 8, shape, DType.F64);
        b.asDoubleBuffer().put(values);
        return new MemoryTensor(name, DType.F64, shape, b.array());
    }

    /** An int64 tensor holding a copy of {@code values} (row-major) with the given shape. */
    public static TensorData of(String name, long[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 8, shape, DType.I64);
        b.asLongBuffer().put(values);
        return new MemoryTensor(name, DType.I64, shape, b.array());
    }

    /**
     * A tensor of any type from its row-major little-endian bytes (copied from {@code
     * littleEndianBytes}' position to its limit, which must be exactly the tensor's size).
     */
    public static TensorData ofBytes(
            String name, DType dtype, ByteBuffer littleEndianBytes, long... shape) {
        long numel = elementCount(shape, dtype);
        long bytes = numel * dtype.byteSize();
        if (littleEndianBytes.remaining() != bytes) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "' of "
                            + dtype
                            + " "
                            + Arrays.toString(shape)
                            + " needs "
                            + bytes
                            + " bytes, got "
                            + littleEndianBytes.remaining());
        }
        byte[] copy = new byte[(int) bytes];
        littleEndianBytes.duplicate().get(copy);
        return new MemoryTensor(name, dtype, shape, copy);
    }

    /**
     * A copy of an engine array (its type must be one of {@link DType}'s; the array may be closed
     * or changed afterwards).
     */
    public static TensorData of(String name, NDArray array) {
        DType dtype = DType.fromDjl(array.getDataType());
        long[] shape = array.getShape().getShape();
        ByteBuffer native_ = array.toByteBuffer();
        ByteBuffer le = ByteBuffer.allocate(native_.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        le.put(native_.duplicate());
        le.flip();
        if (native_.order() != ByteOrder.LITTLE_ENDIAN) {
            Elements.swapBytes(le, dtype.byteSize());
        }
        return ofBytes(name, dtype, le, shape);
    }

    /**
     * A view of an engine array for writing it: no copy is made now; its bytes are read when a
     * writer writes the tensor, so the array must stay open and unchanged until then (a model's
     * parameters written to a file, for example, without holding them twice).
     *
     * @param name the tensor's name
     * @param array the array (its type must be one of {@link DType}'s)
     * @return the view
     */
    public static TensorData viewOf(String name, NDArray array) {
        return new ArrayView(name, DType.fromDjl(array.getDataType()), array);
    }

    private static ByteBuffer allocate(int length, int size, long[] shape, DType dtype) {
        long numel = elementCount(shape, dtype);
        if (numel != length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " has "
                            + numel
                            + " elements, got "
                            + length
                            + " values");
        }
        return ByteBuffer.allocate(length * size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor held in memory as little-endian bytes. */
    static final class MemoryTensor extends TensorData {
        private final byte[] bytes;

        MemoryTensor(String name, DType dtype, long[] shape, byte[] bytes) {
            super(name, dtype, shape);
            this.bytes = bytes;
        }

        @Override
        public TensorData renamed(String newName) {
            return new MemoryTensor(newName, dtype(), shape(), bytes);
        }

        @Override
        Path file() {
            return null;
        }

        @Override
        void readInto(ByteBuffer dst) {
            dst.put(bytes);
        }

        @Override
        void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }

    /** An engine array read when written ({@link #viewOf}). */
    static final class ArrayView extends TensorData {
        private final NDArray array;

        ArrayView(String name, DType dtype, NDArray array) {
            super(name, dtype, array.getShape().getShape());
            this.array = array;
        }

        @Override
        public TensorData renamed(String newName) {
            return new ArrayView(newName, dtype(), array);
        }

        @Override
        Path file() {
            return null;
        }

        @Override
        void readInto(ByteBuffer dst) {
            ByteBuffer b = array.toByteBuffer();
            if (b.order() == ByteOrder.LITTLE_ENDIAN) {
                dst.put(b);
                return;
            }
            ByteBuffer le = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            le.put(b).flip();
            Elements.swapBytes(le, dtype().byteSize());
            dst.put(le);
        }

        @Override
        void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer b = array.toByteBuffer();
            if (b.order() != ByteOrder.LITTLE_ENDIAN) {
                ByteBuffer le = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                le.put(b).flip();
                Elements.swapBytes(le, dtype().byteSize());
                b = le;
            }
            while (b.hasRemaining()) {
                out.write(b);
            }
        }
    }
}
