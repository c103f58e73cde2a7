package org.fourier4j.fft;

import ai.djl.ndarray.NDArray;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Back-propagates a scalar of a graph of its own while the caller's {@code GradientCollector} may
 * be open, so AUTO can time forward + backward in the middle of a training step.
 *
 * <p>DJL allows one gradient collector per JVM, but PyTorch's backward needs none: the collector's
 * {@code backward} is {@code JniUtils.backward(target, ones, false, false)}, which is called here
 * by reflection (fourier4j-core has no engine dependency, as {@link GradientRecording}). With
 * another engine it is unavailable and AUTO times the forward pass only.
 */
final class IndependentBackward {

    private static final Method BACKWARD = lookup();

    private IndependentBackward() {}

    private static Method lookup() {
        try {
            Class<?> pt = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            return Class.forName("ai.djl.pytorch.jni.JniUtils")
                    .getMethod("backward", pt, pt, boolean.class, boolean.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * @param array an array of the engine in use
     * @return whether {@link #backward} works for it
     */
    static boolean available(NDArray array) {
        return BACKWARD != null && "PyTorch".equals(array.getManager().getEngine().getEngineName());
    }

    /**
     * Accumulates the gradient of {@code scalar} into the leaves it depends on.
     *
     * @param scalar a one-element array recorded from leaves that require a gradient
     */
    static void backward(NDArray scalar) {
        try (NDArray ones = scalar.onesLike()) {
            BACKWARD.invoke(null, scalar, ones, false, false);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException
                    ? (RuntimeException) cause
                    : new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
