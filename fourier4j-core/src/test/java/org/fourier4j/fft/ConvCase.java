package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** One random convolution configuration of the sweep, with its data. */
final class ConvCase {

    final int id;
    final int dims;
    final int batch;
    final int inChannels;
    final int outChannels;
    final int groups;
    final long[] size;
    final long[] kernel;
    final long[] stride;
    final long[] dilation;
    final Padding padding;
    final PaddingMode mode;
    final boolean bias;
    final DataType dataType;
    final long seed;

    private ConvCase(
            int id,
            int dims,
            int batch,
            int inChannels,
            int outChannels,
            int groups,
            long[] size,
            long[] kernel,
            long[] stride,
            long[] dilation,
            Padding padding,
            PaddingMode mode,
            boolean bias,
            DataType dataType,
            long seed) {
        this.id = id;
        this.dims = dims;
        this.batch = batch;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.size = size;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.padding = padding;
        this.mode = mode;
        this.bias = bias;
        this.dataType = dataType;
        this.seed = seed;
    }

    ConvOptions options() {
        return ConvOptions.builder()
                .stride(stride)
                .dilation(dilation)
                .groups(groups)
                .padding(padding)
                .paddingMode(mode)
                .build();
    }

    NDArray input(NDManager m) {
        return random(m, new Shape(batch, inChannels).addAll(new Shape(size)), seed);
    }

    NDArray weight(NDManager m) {
        return random(
                m, new Shape(outChannels, inChannels / groups).addAll(new Shape(kernel)), seed + 1);
    }

    NDArray biasArray(NDManager m) {
        return bias ? random(m, new Shape(outChannels), seed + 2) : null;
    }

    /** Uniform(-1, 1) values from a Java RNG, so data do not depend on the engine's RNG. */
    NDArray random(NDManager m, Shape shape, long s) {
        Random r = new Random(s);
        int n = (int) shape.size();
        if (dataType == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 2 * r.nextDouble() - 1;
            }
            return m.create(v, shape);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return m.create(v, shape);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "#%d %dd n%d cin%d cout%d g%d in%s k%s s%s d%s pad %s %s%s %s",
                id,
                dims,
                batch,
                inChannels,
                outChannels,
                groups,
                Arrays.toString(size),
                Arrays.toString(kernel),
                Arrays.toString(stride),
                Arrays.toString(dilation),
                padding,
                mode.name().toLowerCase(Locale.ROOT),
                bias ? " bias" : "",
                dataType.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Seeded random configurations over every option: 1-D/2-D/3-D, strides and dilations 1-3,
     * dense/grouped/depthwise/multiplier groups, bias or not, symmetric/per-side/'same'/'valid'
     * padding, all padding modes, odd and prime sizes, inputs smaller than the kernel, kernels up
     * to 31, float32 and float64.
     */
    static List<ConvCase> sweep(int count, long seed) {
        Random r = new Random(seed);
        List<ConvCase> cases = new ArrayList<>();
        for (int id = 0; id < count; id++) {
            int dims = id % 3 + 1;
            int maxKernel = dims == 1 ? 31 : dims == 2 ? 31 : 7;
            int batch = 1 + r.nextInt(3);
            int groups;
            int cin;
            int cout;
            switch (r.nextInt(4)) {
                case 0: // dense
                    groups = 1;
                    cin = 1 + r.nextInt(4);
                    cout = 1 + r.nextInt(4);
                    break;
                case 1: // grouped
                    groups = 2 + r.nextInt(2);
                    cin = groups * (1 + r.nextInt(3));
                    cout = groups * (1 + r.nextInt(3));
                    break;
                case 2: // depthwise
                    groups = 1 + r.nextInt(5);
                    cin = groups;
                    cout = groups;
                    break;
                default: // depthwise with a channel multiplier
                    groups = 1 + r.nextInt(4);
                    cin = groups;
                    cout = groups * (2 + r.nextInt(2));
                    break;
            }
            long[] kernel = new long[dims];
            long[] stride = new long[dims];
            long[] dilation = new long[dims];
            long[] left = new long[dims];
            long[] right = new long[dims];
            long[] size = new long[dims];
            boolean kernelMax = id % 11 == 0; // make sure the largest kernels appear
            int padKind = r.nextInt(5); // 0 none, 1 symmetric, 2 per side, 3 same, 4 valid
            boolean anyStride = false;
            for (int i = 0; i < dims; i++) {
                kernel[i] = kernelMax ? maxKernel : 1 + r.nextInt(maxKernel);
                if (dims == 2 && !kernelMax && r.nextInt(3) > 0) {
                    kernel[i] = 1 + r.nextInt(9); // keep most 2-D cases cheap
                }
                stride[i] = 1 + r.nextInt(3);
                dilation[i] = kernel[i] > 12 ? 1 + r.nextInt(2) : 1 + r.nextInt(3);
                anyStride |= stride[i] > 1;
            }
            if (padKind == 3 && anyStride && r.nextBoolean()) {
                Arrays.fill(stride, 1); // 'same' mostly with stride 1, as PyTorch allows
            }
            for (int i = 0; i < dims; i++) {
                long kd = dilation[i] * (kernel[i] - 1) + 1;
                if (padKind == 1) {
                    left[i] = r.nextInt((int) kd + 1);
                    right[i] = left[i];
                } else if (padKind == 2) {
                    left[i] = r.nextInt((int) kd + 1);
                    right[i] = r.nextInt((int) kd + 1);
                }
                long minSize = Math.max(1, kd - left[i] - right[i]);
                if (padKind == 3) {
                    minSize = 1;
                }
                int extra = dims == 3 ? 6 : 12;
                size[i] = minSize + r.nextInt(extra);
            }
            Padding padding;
            switch (padKind) {
                case 1:
                    padding = Padding.symmetric(left);
                    break;
                case 2:
                    padding = Padding.of(left, right);
                    break;
                case 3:
                    padding = Padding.same();
                    break;
                default:
                    padding = Padding.valid();
                    break;
            }
            PaddingMode mode = PaddingMode.ZEROS;
            if (padKind != 0 && padKind != 4 && r.nextInt(3) == 0) {
                mode = PaddingMode.values()[1 + r.nextInt(3)];
            }
            DataType dt = r.nextInt(3) == 0 ? DataType.FLOAT64 : DataType.FLOAT32;
            ConvCase c =
                    new ConvCase(
                            id,
                            dims,
                            batch,
                            cin,
                            cout,
                            groups,
                            size,
                            kernel,
                            stride,
                            dilation,
                            padding,
                            mode,
                            r.nextInt(4) > 0,
                            dt,
                            r.nextLong());
            if (c.modeFits()) {
                cases.add(c);
            } else {
                // reflect/circular need padding below the input size; grow the input instead
                long[] bigger = size.clone();
                for (int i = 0; i < dims; i++) {
                    bigger[i] = size[i] + dilation[i] * (kernel[i] - 1) + 2;
                }
                cases.add(
                        new ConvCase(
                                id, dims, batch, cin, cout, groups, bigger, kernel, stride,
                                dilation, padding, mode, c.bias, dt, c.seed));
            }
        }
        return cases;
    }

    private boolean modeFits() {
        if (mode != PaddingMode.REFLECT && mode != PaddingMode.CIRCULAR) {
            return true;
        }
        for (int i = 0; i < dims; i++) {
            long kd = dilation[i] * (kernel[i] - 1) + 1;
            long l = padding.left(i, size[i], kd, stride[i]);
            long rr = padding.right(i, size[i], kd, stride[i]);
            if (Math.max(l, rr) >= size[i]) {
                return false;
            }
        }
        return true;
    }
}
