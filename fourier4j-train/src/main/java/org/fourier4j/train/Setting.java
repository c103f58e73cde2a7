package org.fourier4j.train;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one key of the training configuration on the record component that holds it: the
 * component's snake-case name is the key, {@link #value()} its line in {@code
 * docs/configuration.md} ({@link TrainConfig#markdownTable()}), and the bounds are checked whenever
 * a configuration is made (for a list, on every entry).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {

    /**
     * @return what the key means (one line)
     */
    String value();

    /**
     * @return the smallest allowed value
     */
    double min() default Double.NEGATIVE_INFINITY;

    /**
     * @return whether {@link #min()} itself is excluded
     */
    boolean minExclusive() default false;

    /**
     * @return the largest allowed value
     */
    double max() default Double.POSITIVE_INFINITY;

    /**
     * @return whether {@link #max()} itself is excluded
     */
    boolean maxExclusive() default false;

    /**
     * @return for a list: the number of entries it must have (0: any)
     */
    int length() default 0;

    /**
     * @return whether {@code train --resume} may change it (the run stays the same run)
     */
    boolean resumable() default false;

    /**
     * @return whether it is passed to the model zoo as an override of the same name
     */
    boolean modelOverride() default false;
}
