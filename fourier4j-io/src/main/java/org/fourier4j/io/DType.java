package org.fourier4j.io;

import ai.djl.ndarray.types.DataType;
import java.util.function.Function;

/**
 * Element types of stored tensors (the constant is the safetensors name), with the DJL type of the
 * same bit layout (whose size is theirs), the {@code torch} dtype name and the legacy PyTorch
 * storage class that holds them (as {@code torch.save} names it in its pickle).
 */
public enum DType {
    F64("DoubleStorage", "float64", DataType.FLOAT64),
    F32("FloatStorage", "float32", DataType.FLOAT32),
    F16("HalfStorage", "float16", DataType.FLOAT16),
    BF16("BFloat16Storage", "bfloat16", DataType.BFLOAT16),
    I64("LongStorage", "int64", DataType.INT64),
    I32("IntStorage", "int32", DataType.INT32),
    I16("ShortStorage", "int16", DataType.INT16),
    I8("CharStorage", "int8", DataType.INT8),
    U8("ByteStorage", "uint8", DataType.UINT8),
    BOOL("BoolStorage", "bool", DataType.BOOLEAN);

    private final String torchStorageName;
    private final String torchName;
    private final DataType djlType;

    DType(String torchStorageName, String torchName, DataType djlType) {
        this.torchStorageName = torchStorageName;
        this.torchName = torchName;
        this.djlType = djlType;
    }

    /** Bytes per element. */
    public int byteSize() {
        return djlType.getNumOfBytes();
    }

    /** The name in a safetensors header ({@code "F32"}, {@code "BF16"}, ...). */
    public String safetensorsName() {
        return name();
    }

    /** The storage class in module {@code torch} ({@code "FloatStorage"}, ...). */
    public String torchStorageName() {
        return torchStorageName;
    }

    /** The dtype attribute in module {@code torch} ({@code "float32"}, ...). */
    public String torchName() {
        return torchName;
    }

    /** The DJL data type with the same bit layout. */
    public DataType djlType() {
        return djlType;
    }

    /** True for F64, F32, F16 and BF16. */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type of a safetensors dtype name, or null when the name is not one of these. */
    public static DType fromSafetensorsName(String name) {
        return find(DType::safetensorsName, name);
    }

    /** The type stored by a {@code torch.<name>} storage class, or null. */
    public static DType fromTorchStorageName(String name) {
        return find(t -> t.torchStorageName, name);
    }

    /** The type of a {@code torch.<name>} dtype attribute ({@code float32}, {@code half}...). */
    public static DType fromTorchName(String name) {
        DType t = find(d -> d.torchName, name);
        if (t != null) {
            return t;
        }
        switch (name) {
            case "double":
                return F64;
            case "float":
                return F32;
            case "half":
                return F16;
            case "long":
                return I64;
            case "int":
                return I32;
            case "short":
                return I16;
            default:
                return null;
        }
    }

    /**
     * The type with the same bit layout as a DJL data type.
     *
     * @throws IllegalArgumentException for DJL types that have no counterpart here (complex,
     *     unsigned wider than 8 bits, string)
     */
    public static DType fromDjl(DataType type) {
        for (DType t : values()) {
            if (t.djlType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "DJL data type "
                        + type
                        + " has no weight-file dtype (supported: F64, F32, F16,"
                        + " BF16, I64, I32, I16, I8, U8, BOOL)");
    }

    /** The type whose {@code key} is {@code name}, or null. */
    private static DType find(Function<DType, String> key, String name) {
        for (DType t : values()) {
            if (key.apply(t).equals(name)) {
                return t;
            }
        }
        return null;
    }
}
