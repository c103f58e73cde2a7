package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import java.lang.reflect.Method;

/**
 * Tells whether autograd may be recording operations right now, so that a cached kernel spectrum (a
 * constant) is only used when no gradient can be lost.
 *
 * <p>DJL's API has no grad-mode query, and {@code hasGradient()} cannot stand in for one: on the
 * PyTorch engine it reports {@code false} for operation results even inside a {@code
 * GradientCollector}. So the PyTorch engine's own thread-local switch ({@code
 * ai.djl.pytorch.jni.JniUtils.isGradMode()}) is read by reflection, keeping fourier4j-core free of
 * an engine dependency. With another engine, recording is assumed (never cache): slower, never
 * wrong.
 */
public final class GradientRecording {

    private static final Method IS_GRAD_MODE = lookup();

    private GradientRecording() {}

    private static Method lookup() {
        try {
            return Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod("isGradMode");
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * Returns whether operations on {@code array} in this thread may be recorded for backward.
     *
     * @param array an array about to be used
     * @return false only when it is certain that nothing is recorded
     */
    public static boolean mayRecord(NDArray array) {
        if (IS_GRAD_MODE == null
                || !"PyTorch".equals(array.getManager().getEngine().getEngineName())) {
            return true;
        }
        try {
            return (Boolean) IS_GRAD_MODE.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
