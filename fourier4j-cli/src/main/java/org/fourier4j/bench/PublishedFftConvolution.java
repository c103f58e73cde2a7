package org.fourier4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.fourier4j.fft.ConvGeometry;
import org.fourier4j.fft.ConvOptions;

/**
 * The published FFT convolution algorithm (fkodom/fft-conv-pytorch,
 * https://github.com/fkodom/fft-conv-pytorch, {@code fft_conv_pytorch/fft_conv.py}, function {@code
 * fft_conv}), written here from a description of that code as the benchmark's baseline: pad the
 * input explicitly, FFT at exactly the padded size (the last axis made even), kernel zero-padded to
 * that size and transformed on every call, channels mixed by a complex matrix product per frequency
 * even when depthwise, full-resolution inverse, then crop and subsample for the stride. Zero
 * padding only.
 */
public final class PublishedFftConvolution {

    private PublishedFftConvolution() {}

    /**
     * Convolution by the published algorithm.
     *
     * @param dims 1, 2 or 3
     * @param input (N, C_in, *spatial)
     * @param weight (C_out, C_in/groups, *kernel)
     * @param bias (C_out) or null
     * @param options stride, symmetric zero padding, dilation, groups
     * @return (N, C_out, *out)
     */
    public static NDArray convolve(
            int dims, NDArray input, NDArray weight, NDArray bias, ConvOptions options) {
        ConvGeometry g = ConvGeometry.resolve(dims, input, weight, bias, options);
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            int[] left = g.padLeft();
            int[] right = g.padRight();
            int[] size = g.inputSize();
            long[] pads = new long[2 * dims];
            long[] n = new long[dims];
            for (int i = 0; i < dims; i++) {
                n[i] = (long) size[i] + left[i] + right[i];
            }
            boolean odd = n[dims - 1] % 2 == 1;
            for (int i = 0; i < dims; i++) {
                int at = 2 * (dims - 1 - i);
                pads[at] = left[i];
                pads[at + 1] = right[i] + (i == dims - 1 && odd ? 1 : 0);
            }
            n[dims - 1] += odd ? 1 : 0;
            NDArray x = input.pad(new Shape(pads), 0);
            x.attach(scope);
            NDArray w0 = weight.reshape(weight.getShape());
            w0.attach(scope);
            NDArray w = dilateAndPad(w0, g, n);
            int[] axes = new int[dims];
            for (int i = 0; i < dims; i++) {
                axes[i] = i + 2;
            }
            NDArray xf = rfftn(x, n);
            NDArray wf = rfftn(w, n).conj();
            int batch = g.batch();
            int groups = g.groups();
            int cg = g.inPerGroup();
            int og = g.outPerGroup();
            Shape freq = xf.getShape().slice(2);
            long bins = freq.size();
            // (B, G, cg, F) -> (B, G, F, 1, cg); (G, og, cg, F) -> (G, F, cg, og)
            NDArray a = xf.reshape(batch, groups, cg, bins).transpose(0, 1, 3, 2).expandDims(3);
            NDArray b = wf.reshape(groups, og, cg, bins).transpose(0, 3, 2, 1);
            NDArray y = a.matMul(b).reshape(batch, groups, bins, og).transpose(0, 1, 3, 2);
            y = y.reshape(new Shape(batch, g.outChannels()).addAll(freq));
            NDArray r = irfftn(y, n);
            NDIndex crop = new NDIndex().addAllDim(2);
            int[] stride = g.stride();
            int[] out = g.outputSize();
            for (int i = 0; i < dims; i++) {
                crop.addSliceDim(0, (long) (out[i] - 1) * stride[i] + 1, stride[i]);
            }
            r = r.get(crop);
            if (bias != null) {
                long[] bs = new long[dims + 2];
                java.util.Arrays.fill(bs, 1);
                bs[1] = g.outChannels();
                NDArray bb = bias.reshape(new Shape(bs));
                bb.attach(scope);
                r = r.add(bb);
            }
            r.attach(owner);
            return r;
        }
    }

    private static NDArray dilateAndPad(NDArray weight, ConvGeometry g, long[] n) {
        int dims = g.dims();
        int[] k = g.kernelSize();
        int[] d = g.dilation();
        NDArray w = weight;
        for (int i = 0; i < dims; i++) {
            if (d[i] > 1 && k[i] > 1) {
                int axis = i + 2;
                Shape s = w.getShape();
                long[] pad = new long[2 * (dims + 3 - axis - 1)];
                pad[2 * (dims + 3 - 1 - (axis + 1)) + 1] = d[i] - 1L;
                NDArray spread = w.expandDims(axis + 1).pad(new Shape(pad), 0);
                long[] merged = s.getShape().clone();
                merged[axis] = (long) k[i] * d[i];
                w =
                        spread.reshape(new Shape(merged))
                                .get(
                                        new NDIndex()
                                                .addAllDim(axis)
                                                .addSliceDim(0, g.dilatedKernel(i)));
            }
        }
        long[] pads = new long[2 * dims];
        for (int i = 0; i < dims; i++) {
            pads[2 * (dims - 1 - i) + 1] = n[i] - w.getShape().get(i + 2);
        }
        return w.pad(new Shape(pads), 0);
    }

    private static NDArray rfftn(NDArray a, long[] n) {
        int dims = n.length;
        NDArray f = a.rfft(n[dims - 1], dims + 1);
        for (int i = dims - 2; i >= 0; i--) {
            f = f.fft(n[i], i + 2);
        }
        return f;
    }

    private static NDArray irfftn(NDArray a, long[] n) {
        int dims = n.length;
        NDArray f = a;
        for (int i = 0; i < dims - 1; i++) {
            f = f.ifft(n[i], i + 2);
        }
        return f.irfft(n[dims - 1], dims + 1);
    }
}
