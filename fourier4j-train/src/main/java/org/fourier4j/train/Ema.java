package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fourier4j.nn.ParameterNames;

/**
 * Exponential moving average of all model parameters (weights and normalisation statistics),
 * updated after every optimiser step and used for evaluation:
 *
 * <pre>
 * d_n    = min(decay, (1 + n) / (10 + n))    (n = updates so far; the usual warm-up of the decay)
 * shadow = d_n * shadow + (1 - d_n) * param
 * </pre>
 *
 * The shadow starts as a copy of the parameters. {@link #swapIn()} puts the averaged values into
 * the model until the returned handle is closed.
 */
public final class Ema implements AutoCloseable {

    private final List<Pair<String, Parameter>> params;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();
    private final double decay;
    private long updates;

    /**
     * @param block the initialised model
     * @param decay the decay, in [0, 1)
     * @param parent the manager the shadow lives under (a sub-manager is made)
     */
    public Ema(Block block, double decay, NDManager parent) {
        this.decay = decay;
        this.manager = parent.newSubManager();
        this.params = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(block).entrySet()) {
            Pair<String, Parameter> p = new Pair<>(e.getKey(), e.getValue());
            params.add(p);
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            shadow.put(p.getKey(), copy);
        }
    }

    /**
     * @param n updates done
     * @return the decay of update {@code n + 1}
     */
    public double decayAt(long n) {
        return Math.min(decay, (1.0 + n) / (10.0 + n));
    }

    /** Folds the current parameters into the average. */
    public void update() {
        float d = (float) decayAt(updates);
        try (NDManager scope = manager.newSubManager()) {
            for (Pair<String, Parameter> p : params) {
                NDArray part = p.getValue().getArray().mul(1 - d);
                part.attach(scope);
                shadow.get(p.getKey()).muli(d).addi(part);
            }
        }
        updates++;
    }

    /**
     * @return updates done
     */
    public long updates() {
        return updates;
    }

    /**
     * @param name a parameter name
     * @return the live averaged array
     */
    public NDArray average(String name) {
        return shadow.get(name);
    }

    /**
     * @return the averages as host tensors named by parameter
     */
    public List<HostTensor> tensors() {
        List<HostTensor> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            out.add(HostTensor.of(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * Restores the averages.
     *
     * @param tensors tensors named by parameter, as {@link #tensors()} made them
     * @param savedUpdates the saved update count
     * @param what a name for messages
     */
    public void restore(Map<String, HostTensor> tensors, long savedUpdates, String what) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            HostTensor t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!t.shape().equals(e.getValue().getShape())) {
                problems.add(
                        e.getKey() + " is " + t.shape() + ", expected " + e.getValue().getShape());
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    what + ": the weight average does not fit: " + String.join("; ", problems));
        }
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            tensors.get(e.getKey()).copyInto(e.getValue());
        }
        this.updates = savedUpdates;
    }

    /**
     * Copies the averages into the model; closing the handle copies the training values back.
     *
     * @return the handle
     */
    public Swap swapIn() {
        NDManager backup = manager.newSubManager();
        List<NDArray> saved = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            NDArray w = p.getValue().getArray();
            NDArray copy = w.duplicate();
            copy.attach(backup);
            saved.add(copy);
            Tensors.copy(shadow.get(p.getKey()), w);
        }
        return () -> {
            for (int i = 0; i < params.size(); i++) {
                Tensors.copy(saved.get(i), params.get(i).getValue().getArray());
            }
            backup.close();
        };
    }

    /** Puts the training values back when closed. */
    public interface Swap extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public void close() {
        manager.close();
    }
}
