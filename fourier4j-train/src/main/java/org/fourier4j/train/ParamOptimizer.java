package org.fourier4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimiser implemented with in-place NDArray operations on the parameters, whose whole state
 * (per-parameter slots and scalar counters) can be saved in a checkpoint and restored exactly.
 * {@link #step} reads each parameter's accumulated gradient, updates the parameter and zeroes the
 * gradient.
 */
public abstract class ParamOptimizer implements AutoCloseable {

    /** Owner of the state slots. */
    protected final NDManager manager;

    /** The parameters, in order. */
    protected final List<TrainableParameter> params;

    /** slot name -> parameter name -> state array. */
    protected final Map<String, Map<String, NDArray>> slots = new LinkedHashMap<>();

    /** Completed steps. */
    protected long steps;

    /**
     * @param params the parameters it updates
     * @param parent the manager its state lives under (a sub-manager is made)
     * @param slotNames per-parameter state slots, created as zeros
     */
    protected ParamOptimizer(
            List<TrainableParameter> params, NDManager parent, List<String> slotNames) {
        this.params = List.copyOf(params);
        this.manager = parent.newSubManager();
        for (String slot : slotNames) {
            Map<String, NDArray> m = new LinkedHashMap<>();
            for (TrainableParameter p : params) {
                NDArray w = p.array();
                m.put(p.name(), manager.zeros(w.getShape(), w.getDataType()));
            }
            slots.put(slot, m);
        }
    }

    /**
     * @return the optimiser's name, as in configurations
     */
    public abstract String name();

    /**
     * Updates every parameter from its gradient and zeroes the gradient.
     *
     * @param lr the learning rate of this step
     * @param momentum this step's momentum (AdamW beta1, SGD momentum), or NaN for the configured
     *     one
     */
    public abstract void step(double lr, double momentum);

    /**
     * @return completed steps
     */
    public long steps() {
        return steps;
    }

    /**
     * @return the parameters
     */
    public List<TrainableParameter> parameters() {
        return params;
    }

    /**
     * The state as host tensors named {@code slot/parameter}.
     *
     * @return the state arrays
     */
    public List<HostTensor> stateTensors() {
        List<HostTensor> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, NDArray>> s : slots.entrySet()) {
            for (Map.Entry<String, NDArray> e : s.getValue().entrySet()) {
                out.add(HostTensor.of(s.getKey() + "/" + e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    /**
     * Restores the state.
     *
     * @param tensors tensors named {@code slot/parameter}, as {@link #stateTensors()} made them
     * @param savedSteps the saved step count
     * @param what a name for messages
     * @throws CheckpointException if a slot is missing or has another shape
     */
    public void restore(Map<String, HostTensor> tensors, long savedSteps, String what) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, NDArray>> s : slots.entrySet()) {
            for (Map.Entry<String, NDArray> e : s.getValue().entrySet()) {
                String key = s.getKey() + "/" + e.getKey();
                HostTensor t = tensors.get(key);
                if (t == null) {
                    problems.add("missing " + key);
                } else if (!t.shape().equals(e.getValue().getShape())
                        || t.dataType() != e.getValue().getDataType()) {
                    problems.add(
                            key
                                    + " is "
                                    + t.shape()
                                    + " in the checkpoint, "
                                    + e.getValue().getShape()
                                    + " here");
                }
            }
        }
        if (problems.isEmpty() && tensors.size() != slots.size() * params.size()) {
            problems.add(
                    tensors.size() + " state arrays, expected " + slots.size() * params.size());
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    what
                            + ": the "
                            + name()
                            + " optimiser state does not fit: "
                            + String.join("; ", problems));
        }
        for (Map.Entry<String, Map<String, NDArray>> s : slots.entrySet()) {
            for (Map.Entry<String, NDArray> e : s.getValue().entrySet()) {
                tensors.get(s.getKey() + "/" + e.getKey()).copyInto(e.getValue());
            }
        }
        this.steps = savedSteps;
    }

    /**
     * The state slot of a parameter (for tests and inspection).
     *
     * @param slot the slot name
     * @param param the parameter name
     * @return the live state array
     */
    public NDArray slot(String slot, String param) {
        return slots.get(slot).get(param);
    }

    /**
     * Moves a temporary into a scope so that it is freed with the scope (results belong to the
     * manager of their first operand, here the state's or the parameter's).
     *
     * @param scope the step's scope
     * @param a a freshly made array
     * @return {@code a}
     */
    protected static NDArray scoped(NDManager scope, NDArray a) {
        a.attach(scope);
        return a;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The optimiser a configuration asks for.
     *
     * @param config {@code optimizer} and its keys
     * @param params the parameters
     * @param parent the manager for the state
     * @return the optimiser
     */
    public static ParamOptimizer fromConfig(
            TrainConfig config, List<TrainableParameter> params, NDManager parent) {
        OptimisationSection o = config.optimisation();
        return switch (o.optimizer()) {
            case ADAMW ->
                    new AdamW(
                            params,
                            parent,
                            o.betas().get(0),
                            o.betas().get(1),
                            o.eps(),
                            o.weightDecay());
            case SGD ->
                    new SgdNesterov(params, parent, o.momentum(), o.nesterov(), o.weightDecay());
        };
    }
}
