package org.fourier4j.plan;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps applied one after the other, each intermediate freed as soon as the next step has used it.
 *
 * <p>{@link #of} simplifies the list: nested chains are flattened, every affine map that a
 * neighbouring convolution or linear layer can absorb exactly is folded into its weights, and runs
 * of per-pixel steps (1x1 convolutions, activations, per-channel maps and norms) run on one
 * channels-last view instead of changing layout around each.
 */
final class ChainStep implements Step {

    private final List<Step> steps;

    private ChainStep(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * The simplified chain of {@code steps}.
     *
     * @param steps the steps in order
     * @return one step (the only one, or a chain)
     */
    static Step of(List<Step> steps) {
        List<Step> flat = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof ChainStep) {
                flat.addAll(((ChainStep) s).steps);
            } else if (s instanceof ChannelsLastRun) {
                flat.addAll(((ChannelsLastRun) s).original);
            } else if (s != null && s != IdentityStep.INSTANCE) {
                flat.add(s);
            }
        }
        fold(flat);
        List<Step> out = channelsLastRuns(flat);
        if (out.isEmpty()) {
            return IdentityStep.INSTANCE;
        }
        return out.size() == 1 ? out.get(0) : new ChainStep(out);
    }

    /** Folds affine maps into a neighbour until none can be folded. */
    private static void fold(List<Step> s) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < s.size(); i++) {
                if (!(s.get(i) instanceof AffineStep)) {
                    continue;
                }
                AffineStep a = (AffineStep) s.get(i);
                Step merged = i > 0 ? s.get(i - 1).foldAfter(a) : null;
                if (merged != null) {
                    s.set(i - 1, merged);
                    s.remove(i);
                    changed = true;
                    break;
                }
                merged = i + 1 < s.size() ? s.get(i + 1).foldBefore(a) : null;
                if (merged != null) {
                    s.set(i + 1, merged);
                    s.remove(i);
                    changed = true;
                    break;
                }
            }
        }
    }

    /**
     * Replaces each run of two or more steps that have a channels-last form, at least one of them a
     * 1x1 convolution or channels-first norm (so the input is a 4-D map), by one run on the view.
     */
    private static List<Step> channelsLastRuns(List<Step> s) {
        List<Step> out = new ArrayList<>();
        int i = 0;
        while (i < s.size()) {
            int j = i;
            boolean anchored = false;
            while (j < s.size() && s.get(j).onChannelsLast() != null) {
                anchored |= !(s.get(j) instanceof ActStep || s.get(j) instanceof AffineStep);
                j++;
            }
            if (j - i >= 2 && anchored) {
                out.add(new ChannelsLastRun(new ArrayList<>(s.subList(i, j))));
                i = j;
            } else {
                out.add(s.get(i));
                i++;
            }
        }
        return out;
    }

    /** Applies steps in order, closing each intermediate once used. */
    static NDArray run(List<Step> steps, NDArray x) {
        NDArray cur = x;
        for (Step s : steps) {
            NDArray next = s.apply(cur);
            if (cur != x && cur != next) {
                cur.close();
            }
            cur = next;
        }
        return cur;
    }

    @Override
    public NDArray apply(NDArray x) {
        return run(steps, x);
    }

    /**
     * @return the last step
     */
    Step last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * @param replacement the new last step
     * @return this chain with its last step replaced
     */
    Step replaceLast(Step replacement) {
        List<Step> s = new ArrayList<>(steps.subList(0, steps.size() - 1));
        s.add(replacement);
        return ChainStep.of(s);
    }

    @Override
    public boolean fresh() {
        return steps.stream().anyMatch(Step::fresh);
    }

    @Override
    public Step foldAfter(AffineStep a) {
        Step last = steps.get(steps.size() - 1).foldAfter(a);
        if (last == null) {
            return null;
        }
        List<Step> s = new ArrayList<>(steps);
        s.set(s.size() - 1, last);
        return new ChainStep(s);
    }

    @Override
    public Step foldBefore(AffineStep a) {
        Step first = steps.get(0).foldBefore(a);
        if (first == null) {
            return null;
        }
        List<Step> s = new ArrayList<>(steps);
        s.set(0, first);
        return new ChainStep(s);
    }

    @Override
    public void count(PlanCensus census) {
        steps.forEach(s -> s.count(census));
    }

    /** Per-pixel steps on the channels-last view (B, H, W, C) of a (B, C, H, W) map. */
    private static final class ChannelsLastRun implements Step {
        private final List<Step> original;
        private final List<Step> steps = new ArrayList<>();

        ChannelsLastRun(List<Step> original) {
            this.original = original;
            original.forEach(s -> steps.add(s.onChannelsLast()));
        }

        @Override
        public Step foldAfter(AffineStep a) {
            Step last = original.get(original.size() - 1).foldAfter(a);
            if (last == null) {
                return null;
            }
            List<Step> s = new ArrayList<>(original);
            s.set(s.size() - 1, last);
            return ChainStep.of(s);
        }

        @Override
        public Step foldBefore(AffineStep a) {
            Step first = original.get(0).foldBefore(a);
            if (first == null) {
                return null;
            }
            List<Step> s = new ArrayList<>(original);
            s.set(0, first);
            return ChainStep.of(s);
        }

        @Override
        public NDArray apply(NDArray x) {
            try (NDArray last = x.transpose(0, 2, 3, 1);
                    NDArray y = run(steps, last)) {
                return y.transpose(0, 3, 1, 2);
            }
        }

        @Override
        public boolean fresh() {
            return steps.stream().anyMatch(Step::fresh);
        }

        @Override
        public void count(PlanCensus census) {
            census.step("channels_last_run");
            original.forEach(s -> s.count(census));
        }
    }
}
