package org.fourier4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MultiHeadSelfAttention against attention computed in Java loops, and AdditiveTokenMixer against
 * the official forward rebuilt from functional operations (DJL's conv2d, explicit BatchNorm
 * arithmetic) on the block's own parameters; float64, relative error <= 1e-10.
 */
class AttentionMixersTest {

    static NDArray param(Block block, String suffix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter *" + suffix);
    }

    @Test
    void multiHeadSelfAttentionMatchesLoops() {
        int b = 2;
        int n = 5;
        int d = 8;
        int heads = 2;
        int hd = d / heads;
        try (NDManager m = NDManager.newBaseManager()) {
            MultiHeadSelfAttention attn =
                    BlockTesting.initialize(
                            MultiHeadSelfAttention.builder()
                                    .setHiddenSize(d)
                                    .optHeads(heads)
                                    .build(),
                            m,
                            DataType.FLOAT64,
                            new Shape(b, n, d),
                            3);
            Random r = new Random(2);
            for (String s : new String[] {"qkv_weight", "qkv_bias", "proj_weight", "proj_bias"}) {
                NDArray a = param(attn, s);
                double[] v = BlockTesting.gaussian(r, a.size());
                for (int i = 0; i < v.length; i++) {
                    v[i] *= 0.4;
                }
                a.set(v);
            }
            double[] wq = param(attn, "qkv_weight").toDoubleArray();
            double[] bq = param(attn, "qkv_bias").toDoubleArray();
            double[] wp = param(attn, "proj_weight").toDoubleArray();
            double[] bp = param(attn, "proj_bias").toDoubleArray();
            NDArray x = BlockTesting.input(m, 1, DataType.FLOAT64, b, n, d);
            double[] xs = x.toDoubleArray();
            double[] expected = new double[xs.length];
            for (int bb = 0; bb < b; bb++) {
                double[][] qkv = new double[n][3 * d];
                for (int t = 0; t < n; t++) {
                    for (int o = 0; o < 3 * d; o++) {
                        double s = bq[o];
                        for (int i = 0; i < d; i++) {
                            s += wq[o * d + i] * xs[(bb * n + t) * d + i];
                        }
                        qkv[t][o] = s;
                    }
                }
                double[][] merged = new double[n][d];
                for (int h = 0; h < heads; h++) {
                    for (int t = 0; t < n; t++) {
                        double[] logits = new double[n];
                        double top = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u < n; u++) {
                            double s = 0;
                            for (int e = 0; e < hd; e++) {
                                s += qkv[t][h * hd + e] * qkv[u][d + h * hd + e];
                            }
                            logits[u] = s / Math.sqrt(hd);
                            top = Math.max(top, logits[u]);
                        }
                        double total = 0;
                        for (int u = 0; u < n; u++) {
                            logits[u] = Math.exp(logits[u] - top);
                            total += logits[u];
                        }
                        for (int e = 0; e < hd; e++) {
                            double s = 0;
                            for (int u = 0; u < n; u++) {
                                s += logits[u] / total * qkv[u][2 * d + h * hd + e];
                            }
                            merged[t][h * hd + e] = s;
                        }
                    }
                }
                for (int t = 0; t < n; t++) {
                    for (int o = 0; o < d; o++) {
                        double s = bp[o];
                        for (int i = 0; i < d; i++) {
                            s += wp[o * d + i] * merged[t][i];
                        }
                        expected[(bb * n + t) * d + o] = s;
                    }
                }
            }
            double err =
                    BlockTesting.relativeError(
                            BlockTesting.forward(attn, m, x, false).toDoubleArray(), expected);
            assertTrue(err <= 1e-10, "relative error " + err);
            assertEquals(heads, attn.getHeads());
            assertEquals(
                    3,
                    MultiHeadSelfAttention.builder().setHiddenSize(192).build().getHeads(),
                    "ViT-Ti heads");
        }
    }

    @Test
    void additiveTokenMixerMatchesTheOfficialForward() {
        int c = 4;
        Shape shape = new Shape(2, c, 6, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            AdditiveTokenMixer mixer =
                    BlockTesting.initialize(
                            AdditiveTokenMixer.builder().setChannels(c).build(),
                            m,
                            DataType.FLOAT64,
                            shape,
                            6);
            Random r = new Random(5);
            for (Pair<String, Parameter> p : mixer.getParameters()) {
                NDArray a = p.getValue().getArray();
                double[] v = BlockTesting.gaussian(r, a.size());
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.getKey().endsWith("runningVar") ? 0.5 + Math.abs(v[i]) : 0.5 * v[i];
                }
                a.set(v);
            }
            NDArray x = BlockTesting.input(m, 4, DataType.FLOAT64, shape.getShape());
            NDArray[] qkv = split3(conv(x, named(mixer, "qkv.weight"), null, 0, 1), c);
            NDArray q = operations(mixer, "oper_q", qkv[0], c);
            NDArray k = operations(mixer, "oper_k", qkv[1], c);
            NDArray s = conv(q.add(k), named(mixer, "dwc.weight"), named(mixer, "dwc.bias"), 1, c);
            NDArray expected =
                    conv(
                            s.mul(qkv[2]),
                            named(mixer, "proj.weight"),
                            named(mixer, "proj.bias"),
                            1,
                            c);
            double err =
                    BlockTesting.relativeError(
                            BlockTesting.forward(mixer, m, x, false).toDoubleArray(),
                            expected.toDoubleArray());
            assertTrue(err <= 1e-10, "relative error " + err);
        }
    }

    /** A parameter by its fourier4j name (the official code's state_dict key). */
    private static NDArray named(Block block, String name) {
        Parameter p = ParameterNames.of(block).get(name);
        if (p == null) {
            throw new AssertionError(
                    "no parameter " + name + " in " + ParameterNames.of(block).keySet());
        }
        return p.getArray();
    }

    private static NDArray[] split3(NDArray a, int c) {
        return new NDArray[] {
            a.get(":, 0:" + c), a.get(":, " + c + ":" + 2 * c), a.get(":, " + 2 * c + ":")
        };
    }

    private static NDArray conv(NDArray x, NDArray w, NDArray b, int pad, int groups) {
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), groups)
                .head();
    }

    /** x * sigmoid(1x1(ReLU(BN(dw3x3(x))))) then * sigmoid(1x1(mean_HW)), BN in inference form. */
    private static NDArray operations(Block mixer, String name, NDArray x, int c) {
        NDArray dw =
                conv(
                        x,
                        named(mixer, name + ".0.block.0.weight"),
                        named(mixer, name + ".0.block.0.bias"),
                        1,
                        c);
        NDArray mean = named(mixer, name + ".0.block.1.running_mean").reshape(1, c, 1, 1);
        NDArray var = named(mixer, name + ".0.block.1.running_var").reshape(1, c, 1, 1);
        NDArray gamma = named(mixer, name + ".0.block.1.weight").reshape(1, c, 1, 1);
        NDArray beta = named(mixer, name + ".0.block.1.bias").reshape(1, c, 1, 1);
        NDArray bn = dw.sub(mean).div(var.add(1e-5).sqrt()).mul(gamma).add(beta);
        NDArray gate = conv(bn.maximum(0), named(mixer, name + ".0.block.3.weight"), null, 0, 1);
        NDArray z = x.mul(gate.neg().exp().add(1).pow(-1));
        NDArray pooled = z.mean(new int[] {3}, true).mean(new int[] {2}, true);
        NDArray channel = conv(pooled, named(mixer, name + ".1.block.1.weight"), null, 0, 1);
        return z.mul(channel.neg().exp().add(1).pow(-1));
    }
}
