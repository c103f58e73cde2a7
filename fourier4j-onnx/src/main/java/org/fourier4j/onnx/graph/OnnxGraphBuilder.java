package org.fourier4j.onnx.graph;

import ai.djl.ndarray.NDArray;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fourier4j.onnx.proto.Onnx.AttributeProto;
import org.fourier4j.onnx.proto.Onnx.GraphProto;
import org.fourier4j.onnx.proto.Onnx.ModelProto;
import org.fourier4j.onnx.proto.Onnx.NodeProto;
import org.fourier4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.fourier4j.onnx.proto.Onnx.StringStringEntryProto;
import org.fourier4j.onnx.proto.Onnx.TensorProto;
import org.fourier4j.onnx.proto.Onnx.TensorProto.DataType;
import org.fourier4j.onnx.proto.Onnx.TensorShapeProto;
import org.fourier4j.onnx.proto.Onnx.TypeProto;
import org.fourier4j.onnx.proto.Onnx.ValueInfoProto;

/**
 * Builds an ONNX graph: graph inputs and outputs, initializers (raw little-endian data), nodes with
 * unique names, and the {@link ModelProto} with its opset import and metadata properties.
 *
 * <p>Every value carries its static shape ({@link OnnxValue}); the operator helpers of {@link
 * OnnxOps} compute it for each node they add. {@link #build} declares those shapes as the graph's
 * {@code value_info} (the batch axis as the symbolic dimension {@code batch} when the batch is
 * dynamic), so that ONNX Runtime's shape inference checks them when it loads the model: a wrong
 * shape fails at load time instead of producing a subtly wrong graph.
 *
 * <p>Names: nodes and values are named after the current {@linkplain #scope() scope} (the block
 * path during an export), made unique with a counter.
 */
public final class OnnxGraphBuilder {

    /** The lowest supported opset: {@code DFT} and {@code LayerNormalization} appear in 17. */
    public static final int MIN_OPSET = 17;

    /** The highest supported opset. */
    public static final int MAX_OPSET = 21;

    /** The symbolic name of the batch dimension. */
    public static final String BATCH_DIM = "batch";

    private final int opset;
    private final boolean dynamicBatch;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final Map<String, OnnxValue> values = new LinkedHashMap<>();
    private final Set<String> graphInputsAndInitializers = new HashSet<>();
    private final Map<String, OnnxValue> sharedConstants = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private String scope = "";

    /**
     * Creates an empty graph.
     *
     * @param opset the default-domain opset, {@value #MIN_OPSET} to {@value #MAX_OPSET}
     * @param dynamicBatch whether the batch axis is symbolic in the written model
     */
    public OnnxGraphBuilder(int opset, boolean dynamicBatch) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException(
                    "opset must be in [" + MIN_OPSET + ", " + MAX_OPSET + "], got " + opset);
        }
        this.opset = opset;
        this.dynamicBatch = dynamicBatch;
    }

    /**
     * @return the opset the graph is written for
     */
    public int opset() {
        return opset;
    }

    /**
     * @return whether the batch axis is symbolic
     */
    public boolean dynamicBatch() {
        return dynamicBatch;
    }

    /**
     * @return the current name prefix
     */
    public String scope() {
        return scope;
    }

    /**
     * Sets the name prefix of the nodes and values added next (the block path during an export).
     *
     * @param scope the prefix, e.g. {@code blocks.03.mixer}
     * @return the previous prefix, to restore afterwards
     */
    public String setScope(String scope) {
        String previous = this.scope;
        this.scope = scope == null ? "" : scope;
        return previous;
    }

    /**
     * Returns a fresh unique name under the current scope.
     *
     * @param hint the local part, e.g. {@code MatMul} or {@code weight}
     * @return the name
     */
    public String freshName(String hint) {
        String base = scope.isEmpty() ? hint : scope + "/" + hint;
        int n = counters.merge(base, 1, Integer::sum);
        String name = n == 1 ? base : base + "_" + n;
        while (values.containsKey(name)) {
            n = counters.merge(base, 1, Integer::sum);
            name = base + "_" + n;
        }
        return name;
    }

    /**
     * Declares a float graph input.
     *
     * @param name its name
     * @param shape its shape at export time
     * @param batchAxis the batch axis, or -1
     * @return the value
     */
    public OnnxValue input(String name, long[] shape, int batchAxis) {
        OnnxValue v = register(new OnnxValue(name, shape, batchAxis, DataType.FLOAT));
        inputs.add(valueInfo(v));
        graphInputsAndInitializers.add(name);
        return v;
    }

    /**
     * Declares a graph output; an {@code Identity} node gives it the requested name.
     *
     * @param value the value
     * @param name the output's name
     * @return the output value
     */
    public OnnxValue output(OnnxValue value, String name) {
        OnnxValue out =
                register(new OnnxValue(name, value.shape(), value.batchAxis(), value.type()));
        nodes.add(
                NodeProto.newBuilder()
                        .setName(freshName("Identity"))
                        .setOpType("Identity")
                        .addInput(value.name())
                        .addOutput(name)
                        .build());
        outputs.add(valueInfo(out));
        return out;
    }

    /**
     * Adds a float initializer.
     *
     * @param hint the local name
     * @param data the values, row-major
     * @param dims the shape
     * @return the value
     */
    public OnnxValue constant(String hint, float[] data, long... dims) {
        check(data.length, dims, hint);
        ByteBuffer bytes = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        return addInitializer(hint, DataType.FLOAT, dims, bytes);
    }

    /**
     * Adds a float initializer from double values (rounded to float).
     *
     * @param hint the local name
     * @param data the values, row-major
     * @param dims the shape
     * @return the value
     */
    public OnnxValue constant(String hint, double[] data, long... dims) {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return constant(hint, f, dims);
    }

    /**
     * Adds a float initializer holding an array's values (converted to float32).
     *
     * @param hint the local name
     * @param array the array
     * @return the value
     */
    public OnnxValue constant(String hint, NDArray array) {
        float[] data =
                array.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32
                        ? array.toFloatArray()
                        : toFloats(array.toType(ai.djl.ndarray.types.DataType.FLOAT64, false));
        return constant(hint, data, array.getShape().getShape());
    }

    private static float[] toFloats(NDArray doubles) {
        double[] d = doubles.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * Returns a float scalar initializer (shape {@code []}), shared by all users of the value.
     *
     * @param v the value
     * @return the scalar
     */
    public OnnxValue scalar(float v) {
        String key = "f:" + Float.floatToIntBits(v);
        OnnxValue shared = sharedConstants.get(key);
        if (shared == null) {
            String previous = setScope("const");
            shared = constant("scalar", new float[] {v});
            setScope(previous);
            sharedConstants.put(key, shared);
        }
        return shared;
    }

    /**
     * Returns a 1-D int64 initializer (shapes, axes, indices), shared by all users of the value.
     *
     * @param values the values
     * @return the vector
     */
    public OnnxValue longs(long... values) {
        String key = "l:" + Arrays.toString(values);
        OnnxValue shared = sharedConstants.get(key);
        if (shared == null) {
            ByteBuffer bytes =
                    ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(values);
            String previous = setScope("const");
            shared = addInitializer("ints", DataType.INT64, new long[] {values.length}, bytes);
            setScope(previous);
            sharedConstants.put(key, shared);
        }
        return shared;
    }

    /**
     * Returns an int64 scalar initializer (shape {@code []}), shared by all users of the value.
     *
     * @param value the value
     * @return the scalar
     */
    public OnnxValue longScalar(long value) {
        String key = "ls:" + value;
        OnnxValue shared = sharedConstants.get(key);
        if (shared == null) {
            ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putLong(0, value);
            String previous = setScope("const");
            shared = addInitializer("int", DataType.INT64, new long[0], bytes);
            setScope(previous);
            sharedConstants.put(key, shared);
        }
        return shared;
    }

    private OnnxValue addInitializer(String hint, DataType type, long[] dims, ByteBuffer bytes) {
        String name = freshName(hint);
        bytes.rewind();
        TensorProto.Builder t =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(type.getNumber())
                        .setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        graphInputsAndInitializers.add(name);
        return register(new OnnxValue(name, dims, -1, type));
    }

    /**
     * Adds a node with one output of a shape the caller computed (the low-level form behind {@link
     * OnnxOps}).
     *
     * @param opType the operator, e.g. {@code MatMul}
     * @param inputs the inputs; null for an omitted optional input
     * @param shape the output shape
     * @param batchAxis the output's batch axis, or -1
     * @param type the output element type
     * @param attributes the attributes
     * @return the output
     */
    public OnnxValue node(
            String opType,
            List<OnnxValue> inputs,
            long[] shape,
            int batchAxis,
            DataType type,
            AttributeProto... attributes) {
        String nodeName = freshName(opType);
        OnnxValue out = register(new OnnxValue(nodeName + ":0", shape, batchAxis, type));
        NodeProto.Builder n = NodeProto.newBuilder().setName(nodeName).setOpType(opType);
        for (OnnxValue in : inputs) {
            if (in != null && !values.containsKey(in.name())) {
                throw new IllegalStateException(
                        opType + " node " + nodeName + ": input " + in.name() + " is undefined");
            }
            n.addInput(in == null ? "" : in.name());
        }
        n.addOutput(out.name());
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        nodes.add(n.build());
        return out;
    }

    private OnnxValue register(OnnxValue v) {
        if (values.putIfAbsent(v.name(), v) != null) {
            throw new IllegalStateException("value name " + v.name() + " is used twice");
        }
        return v;
    }

    /**
     * @return the number of nodes added so far
     */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Builds the model.
     *
     * @param graphName the graph's name
     * @param producerVersion the producer version (fourier4j's)
     * @param metadata metadata properties, written in order
     * @return the model
     * @throws IllegalStateException if the graph has no output or a node uses an undefined value
     */
    public ModelProto build(
            String graphName, String producerVersion, Map<String, String> metadata) {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("the graph has no output");
        }
        Set<String> outputNames = new HashSet<>();
        for (ValueInfoProto o : outputs) {
            outputNames.add(o.getName());
        }
        GraphProto.Builder g =
                GraphProto.newBuilder()
                        .setName(graphName)
                        .addAllNode(nodes)
                        .addAllInitializer(initializers)
                        .addAllInput(inputs)
                        .addAllOutput(outputs);
        for (OnnxValue v : values.values()) {
            if (!graphInputsAndInitializers.contains(v.name()) && !outputNames.contains(v.name())) {
                g.addValueInfo(valueInfo(v));
            }
        }
        ModelProto.Builder m =
                ModelProto.newBuilder()
                        .setIrVersion(irVersion(opset))
                        .setProducerName("fourier4j")
                        .setProducerVersion(producerVersion)
                        .addOpsetImport(
                                OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                        .setGraph(g);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            m.addMetadataProps(
                    StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /**
     * The IR version that goes with an opset (ONNX's versioning table).
     *
     * @param opset the opset
     * @return the IR version
     */
    static long irVersion(int opset) {
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    private ValueInfoProto valueInfo(OnnxValue v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long[] dims = v.shape();
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (i == v.batchAxis() && dynamicBatch) {
                d.setDimParam(BATCH_DIM);
            } else {
                d.setDimValue(dims[i]);
            }
            shape.addDim(d);
        }
        TypeProto type =
                TypeProto.newBuilder()
                        .setTensorType(
                                TypeProto.Tensor.newBuilder()
                                        .setElemType(v.type().getNumber())
                                        .setShape(shape))
                        .build();
        return ValueInfoProto.newBuilder().setName(v.name()).setType(type).build();
    }

    private static void check(int length, long[] dims, String hint) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "constant " + hint + ": negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(
                    "constant "
                            + hint
                            + ": "
                            + length
                            + " values do not fill shape "
                            + Arrays.toString(dims));
        }
    }
}
