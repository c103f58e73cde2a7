package org.fourier4j.plan;

import ai.djl.nn.Block;
import java.lang.reflect.Field;

/**
 * Reads configuration DJL's blocks keep in fields without accessors ({@code BatchNorm}'s axis and
 * epsilon, {@code LayerNorm}'s normalised shape and epsilon). When a field cannot be read (another
 * DJL version), the plan runs that block unchanged instead.
 */
final class DjlFields {

    private DjlFields() {}

    /**
     * Reads a field declared by {@code owner} on {@code block}.
     *
     * @param block the block
     * @param owner the DJL class that declares the field
     * @param name the field's name
     * @return its value, or null if it cannot be read
     */
    static Object read(Block block, Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
