package org.fourier4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.fourier4j.fft.GradientRecording;

/**
 * Frees a block's intermediates as soon as its output exists, when no gradient is being recorded.
 *
 * <p>DJL frees an array only when its manager closes, so a whole forward pass would otherwise hold
 * every intermediate of every block until the caller's scope ends: ViT-B at 1080x1080 (4,489
 * tokens) kept twelve layers of (heads, N, N) attention maps and passed 16 GB. In inference each
 * block here runs in a sub-manager of its input's and hands back only its output. While gradients
 * may be recorded the intermediates are part of the graph and are left alone.
 */
public final class InferenceScope {

    private InferenceScope() {}

    /**
     * Runs {@code body} on {@code input}, scoped when nothing is recorded.
     *
     * @param input the block's input
     * @param body the block's computation, given the input (or a view of it owned by the scope)
     * @return the block's outputs, owned by the input's manager
     */
    public static NDList run(NDArray input, Function<NDArray, NDList> body) {
        if (GradientRecording.mayRecord(input)) {
            return body.apply(input);
        }
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            NDArray view = input.reshape(input.getShape());
            view.attach(scope);
            NDList out = body.apply(view);
            out.attach(owner);
            return out;
        }
    }
}
