package org.fourier4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Element conversions between the stored little-endian bytes and Java numbers. */
final class Elements {
    private Elements() {}

    /**
     * IEEE 754 binary16 to binary32, exact for every value: subnormals and infinities; a NaN keeps
     * its payload in the high mantissa bits and becomes quiet, as the x86 F16C conversion that
     * PyTorch uses does.
     */
    static float halfToFloat(int halfBits) {
        int bits = halfBits & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            int quiet = mantissa == 0 ? 0 : 0x00400000;
            return Float.intBitsToFloat(sign | 0x7f800000 | quiet | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in binary32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of a binary32: exact. */
    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Reads {@code out.length} elements of {@code type} from little-endian bytes as floats. */
    static void toFloats(ByteBuffer bytes, DType type, float[] out) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (type == DType.F32) {
            b.asFloatBuffer().get(out);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            // an integer converts to float directly: through double it could round twice; half
            // types widen straight to float, as torch does (a double keeps no signalling NaN)
            out[i] =
                    type == DType.F64
                            ? (float) b.getDouble(b.position() + 8 * i)
                            : type.isFloatingPoint()
                                    ? floatAt(b, type, i)
                                    : (float) integerAt(b, type, i);
        }
    }

    /** Reads {@code out.length} elements of {@code type} from little-endian bytes as doubles. */
    static void toDoubles(ByteBuffer bytes, DType type, double[] out) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (type == DType.F64) {
            b.asDoubleBuffer().get(out);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = type.isFloatingPoint() ? floatingAt(b, type, i) : integerAt(b, type, i);
        }
    }

    /** Element {@code i} of a floating-point type, exactly. */
    private static double floatingAt(ByteBuffer b, DType type, int i) {
        return type == DType.F64 ? b.getDouble(b.position() + 8 * i) : floatAt(b, type, i);
    }

    /** Element {@code i} of F32, F16 or BF16. */
    private static float floatAt(ByteBuffer b, DType type, int i) {
        int base = b.position();
        switch (type) {
            case F32:
                return b.getFloat(base + 4 * i);
            case F16:
                return halfToFloat(b.getShort(base + 2 * i));
            case BF16:
                return bfloat16ToFloat(b.getShort(base + 2 * i));
            default:
                throw new IllegalArgumentException("not a floating-point type: " + type);
        }
    }

    /** Element {@code i} of an integer or bool type (U8 unsigned, BOOL as 0/1). */
    private static long integerAt(ByteBuffer b, DType type, int i) {
        int base = b.position();
        switch (type) {
            case I64:
                return b.getLong(base + 8 * i);
            case I32:
                return b.getInt(base + 4 * i);
            case I16:
                return b.getShort(base + 2 * i);
            case I8:
                return b.get(base + i);
            case U8:
                return b.get(base + i) & 0xff;
            case BOOL:
                return b.get(base + i) != 0 ? 1 : 0;
            default:
                throw new IllegalArgumentException("not an integer type: " + type);
        }
    }

    /**
     * Reverses the byte order of every element of {@code buffer} in place (from position to limit).
     * Used only where the platform is big-endian, since the files are little-endian.
     */
    static void swapBytes(ByteBuffer buffer, int elementSize) {
        if (elementSize == 1) {
            return;
        }
        for (int p = buffer.position(); p + elementSize <= buffer.limit(); p += elementSize) {
            for (int i = 0, j = elementSize - 1; i < j; i++, j--) {
                byte t = buffer.get(p + i);
                buffer.put(p + i, buffer.get(p + j));
                buffer.put(p + j, t);
            }
        }
    }
}
