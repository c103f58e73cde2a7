package org.fourier4j.onnx.graph;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.fourier4j.onnx.proto.Onnx.AttributeProto;
import org.fourier4j.onnx.proto.Onnx.AttributeProto.AttributeType;

/** Node attributes. */
public final class Attributes {

    private Attributes() {}

    /**
     * An integer attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static AttributeProto of(String name, long value) {
        return named(name, AttributeType.INT).setI(value).build();
    }

    /**
     * A float attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static AttributeProto of(String name, float value) {
        return named(name, AttributeType.FLOAT).setF(value).build();
    }

    /**
     * A string attribute.
     *
     * @param name the name
     * @param value the value
     * @return the attribute
     */
    public static AttributeProto of(String name, String value) {
        return named(name, AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build();
    }

    /**
     * An integer list attribute.
     *
     * @param name the name
     * @param values the values
     * @return the attribute
     */
    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = named(name, AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    private static AttributeProto.Builder named(String name, AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setType(type);
    }
}
