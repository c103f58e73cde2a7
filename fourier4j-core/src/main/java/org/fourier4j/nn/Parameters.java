package org.fourier4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** One-line declarations of a block's own parameters (name, type, initializer, shape). */
final class Parameters {

    private Parameters() {}

    /**
     * A parameter whose shape is set later, in the block's {@code prepare}.
     *
     * @param name the saved name
     * @param type weight, bias, gamma, ...
     * @param initializer its initial values
     * @return the parameter, to pass to {@code addParameter}
     */
    static Parameter of(String name, Parameter.Type type, Initializer initializer) {
        return Parameter.builder().setName(name).setType(type).optInitializer(initializer).build();
    }

    /**
     * A parameter with a fixed shape.
     *
     * @param name the saved name
     * @param type weight, bias, gamma, ...
     * @param initializer its initial values
     * @param shape its shape
     * @return the parameter, to pass to {@code addParameter}
     */
    static Parameter of(String name, Parameter.Type type, Initializer initializer, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optInitializer(initializer)
                .optShape(shape)
                .build();
    }

    /**
     * A {@link Parameter.Type#WEIGHT} with a fixed shape.
     *
     * @param name the saved name
     * @param initializer its initial values
     * @param shape its shape
     * @return the parameter, to pass to {@code addParameter}
     */
    static Parameter weight(String name, Initializer initializer, Shape shape) {
        return of(name, Parameter.Type.WEIGHT, initializer, shape);
    }

    /**
     * @return a norm's per-channel scale {@code weight}, ones
     */
    static Parameter normScale() {
        return of("weight", Parameter.Type.GAMMA, Initializer.ONES);
    }

    /**
     * @return a norm's per-channel shift {@code bias}, zeros
     */
    static Parameter normShift() {
        return of("bias", Parameter.Type.BETA, Initializer.ZEROS);
    }
}
